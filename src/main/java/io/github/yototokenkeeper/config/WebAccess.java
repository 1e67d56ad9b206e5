package io.github.yototokenkeeper.config;

/**
 * Who may use the page, {@code /auth/*} and {@code /metrics}, as decided once from the settings. {@code /health} is
 * open in every case.
 */
public enum WebAccess {
    /** KEEPER_PASSWORD is set: HTTP Basic auth, user admin. */
    PASSWORD,
    /**
     * No password asked: the server listens on a loopback address only, or KEEPER_AUTH=none puts the operator's own
     * authenticating proxy in front. The Host header is checked, so a foreign site that rebinds its DNS name to this
     * address gets nothing.
     */
    OPEN,
    /**
     * Reachable from the network without a password and without KEEPER_AUTH=none: the page only says how to set a
     * password, and every other route refuses with 403. Safe by default on a public URL.
     */
    LOCKED
}
