package io.github.yototokenkeeper.token;

import java.util.Locale;

/** Where the session stands. */
public enum SessionState {
    /** No refresh token: someone has to log in. */
    LOGGED_OUT,
    /** The last refresh worked: a valid access token is held. */
    AUTHENTICATED,
    /** Refreshes fail for a reason that may pass (network, 5xx, bad answer): retrying. */
    REFRESH_FAILING,
    /** The server refused the refresh token for good: a person must log in again. */
    REAUTH_REQUIRED;

    /** The name used in JSON and metrics. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
