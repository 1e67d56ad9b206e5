package io.github.yototokenkeeper.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * SHA-256 of a secret: to recognise a token again without keeping or logging it (a fingerprint), and to compare a
 * password in constant time (digests of equal length, {@link MessageDigest#isEqual}).
 */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    public static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** {@code bytes} fresh random bytes, base64url without padding (32 bytes: 256 bits in 43 characters). */
    public static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    public static String fingerprint(String secret) {
        return HexFormat.of().formatHex(sha256(secret));
    }

    /** Equal, in a time that says nothing about where they differ. */
    public static boolean sameSecret(String given, byte[] expectedDigest) {
        return MessageDigest.isEqual(sha256(given), expectedDigest);
    }
}
