package io.github.yototokenkeeper.token;

import java.time.Duration;

/** A refresh failed for a reason that may pass (network, 5xx, 429, an unexpected answer): try again later. */
public class RefreshFailedException extends Exception {

    private final transient Duration retryAfter;

    public RefreshFailedException(String reason) {
        this(reason, null);
    }

    public RefreshFailedException(String reason, Duration retryAfter) {
        super(reason);
        this.retryAfter = retryAfter;
    }

    /** How long the server asked us to wait (Retry-After), or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
