package io.github.yototokenkeeper.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * A PKCE pair (RFC 7636): the verifier stays on the server, the S256 challenge goes to the authorization endpoint, and
 * only who holds the verifier can exchange the code the browser brings back. {@link #toString()} shows neither.
 */
public record Pkce(String verifier, String challenge) {

    /** RFC 7636 §4.1: 32 random octets, base64url: a 43-character verifier (the minimum length, 256 bits). */
    public static Pkce generate() {
        String verifier = Secrets.random(32);
        return new Pkce(verifier, challengeOf(verifier));
    }

    /** RFC 7636 §4.2, S256: BASE64URL-ENCODE(SHA256(ASCII(code_verifier))). */
    public static String challengeOf(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return "Pkce[S256]";
    }
}
