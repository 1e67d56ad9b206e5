package io.github.yototokenkeeper.token;

import io.github.yototokenkeeper.oauth.SafeMessage;

import java.time.Duration;

/** A refresh failed for a reason that may pass (network, 5xx, 429, an unexpected answer): try again later. */
public class RefreshFailedException extends Exception implements SafeMessage {

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
