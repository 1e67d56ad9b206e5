package io.github.yototokenkeeper.token;

import java.time.Instant;

/** The session at one moment, for status pages, health checks, alerts and metrics. Holds no token. */
public record SessionSnapshot(
        SessionState state,
        Instant accessTokenExpiresAt,
        Instant lastRefreshAt,
        Instant nextRefreshAt,
        int consecutiveFailures,
        String lastError,
        boolean refreshTokenUnsaved) {

    /** The access token expired without a successful refresh since: only while refreshes fail. */
    public boolean accessTokenExpired(Instant now) {
        return accessTokenExpiresAt != null && !now.isBefore(accessTokenExpiresAt);
    }
}
