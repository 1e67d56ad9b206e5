package io.github.yototokenkeeper.api;

import java.util.Locale;

/** What a program's key opens: the access token ({@code /api/token}), the proxy ({@code /api/yoto/...}), or both. */
public enum ApiScope {
    TOKEN,
    PROXY;

    /** As written in KEEPER_API_KEYS and in the audit line: token, proxy. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
