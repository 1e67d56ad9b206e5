package io.github.yototokenkeeper.token;

import java.time.Instant;

/** A snapshot of the keeper's state for status pages, health checks and logs. Holds no token. */
public record TokenStatus(
        TokenState.Status status,
        Instant accessTokenExpiresAt,
        Instant lastRefreshAt,
        Instant nextRefreshAt,
        int consecutiveFailures,
        String lastError,
        boolean refreshTokenUnsaved) {
}
