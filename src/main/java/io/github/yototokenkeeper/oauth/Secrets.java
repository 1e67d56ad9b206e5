package io.github.yototokenkeeper.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a secret: to recognise a token again without keeping or logging it (a fingerprint), and to compare a
 * password in constant time (digests of equal length, {@link MessageDigest#isEqual}).
 */
public final class Secrets {

    private Secrets() {
    }

    public static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    public static String fingerprint(String secret) {
        return HexFormat.of().formatHex(sha256(secret));
    }

    /** Equal, in a time that says nothing about where they differ. */
    public static boolean sameSecret(String given, byte[] expectedDigest) {
        return MessageDigest.isEqual(sha256(given), expectedDigest);
    }
}
