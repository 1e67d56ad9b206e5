package io.github.yototokenkeeper.token;

import java.time.Instant;

/** An access token that has not expired, with its expiry (null: unknown). {@link #toString()} never shows the token. */
public record ValidAccessToken(String accessToken, Instant expiresAt) {

    @Override
    public String toString() {
        return "ValidAccessToken[expiresAt=" + expiresAt + "]";
    }
}
