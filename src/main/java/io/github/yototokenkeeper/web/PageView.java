package io.github.yototokenkeeper.web;

import java.time.Instant;

/**
 * What the page shows, as plain values for its templates (src/main/jte): exactly one of locked, a pending login, or
 * the session (logged out, re-login needed, connected), and the outcome of the last login. Holds no token and no
 * device code; the templates escape every value by its HTML context.
 */
public record PageView(
        String base,
        String state,
        boolean locked,
        String webHost,
        int minPasswordLength,
        String user,
        boolean clientIdMissing,
        Logins logins,
        Pending pending,
        Finished finished,
        boolean loggedOut,
        Reauth reauth,
        Session session) {

    /**
     * The logins offered (YOTO_LOGIN_FLOW): the browser sign-in, the device code, or both; and the callback URL to
     * register with Yoto for the first.
     */
    public record Logins(boolean browser, boolean device, String callbackUrl) {
    }

    /** A login waiting for approval. {@code link} only for an http(s) address (else {@code text}); the QR code may be absent. */
    public record Pending(String userCode, String link, String text, String qrCode, Instant expiresAt) {
    }

    /** How the last login ended: {@code kind} is ok or problem. */
    public record Finished(String state, String kind, String message) {
    }

    public record Reauth(String lastError) {
    }

    public record Session(boolean failing, Instant accessTokenExpiresAt, Instant lastRefreshAt, Instant nextRefreshAt,
            int consecutiveFailures, String lastError) {
    }

    /** A time as the page shows it without its script (which shows it in the reader's zone): UTC, to the second. */
    public static String utc(Instant instant) {
        return instant.toString().replace('T', ' ').replaceFirst("\\.\\d+Z$", "Z");
    }
}
