package io.github.yototokenkeeper.token;

import java.time.Instant;

/**
 * One refresh, from the request to its outcome: the one exchange property the refresh route carries
 * ({@link #PROPERTY}). The steps of {@link TokenRefresher} fill it in; the route's log lines read its outcome. Holds
 * the refresh token sent, and never shows it.
 */
public final class RefreshAttempt {

    public static final String PROPERTY = "yotoKeeperAttempt";

    private final Instant requestedAt;
    private String sentToken;
    private long generation;
    private boolean answerLost;
    private boolean outdated;
    private boolean refreshed;
    private Instant validUntil;
    private String failure;
    private Instant retryAt;
    private boolean retrySoon;

    public RefreshAttempt(Instant requestedAt) {
        this.requestedAt = requestedAt;
    }

    public Instant requestedAt() {
        return requestedAt;
    }

    /** The login generation this attempt reads its token under (see {@link TokenSession}). */
    void readUnder(long currentGeneration) {
        this.generation = currentGeneration;
    }

    /** The refresh token this attempt sends. */
    void sends(String refreshToken) {
        this.sentToken = refreshToken;
    }

    String sentToken() {
        return sentToken;
    }

    long generation() {
        return generation;
    }

    /** The request went out and no answer came (even to the immediate retry, whatever that met). */
    public void answerLost() {
        answerLost = true;
    }

    boolean isAnswerLost() {
        return answerLost;
    }

    /** A login or logout came while this attempt was under way: its outcome no longer describes the session. */
    void outdated() {
        outdated = true;
    }

    public boolean isOutdated() {
        return outdated;
    }

    void succeeded(Instant accessTokenValidUntil) {
        this.refreshed = true;
        this.validUntil = accessTokenValidUntil;
    }

    /** The session took this attempt's answer: a new access token is in use. */
    public boolean isRefreshed() {
        return refreshed;
    }

    void failed(String reason, Instant plannedRetry, boolean soon) {
        this.failure = reason;
        this.retryAt = plannedRetry;
        this.retrySoon = soon;
    }

    void refused(String reason) {
        this.failure = reason;
    }

    /** For the route's log line: when the new access token lapses. */
    public String getValidUntil() {
        return validUntil == null ? "unknown: the answer had no usable expires_in" : validUntil.toString();
    }

    /** For the route's log lines: why it failed, one safe sentence. */
    public String getFailure() {
        return failure;
    }

    public Instant getRetryAt() {
        return retryAt;
    }

    /** After a lost answer: the next try comes in seconds, inside the server's reuse interval. */
    public boolean isRetrySoon() {
        return retrySoon;
    }

    @Override
    public String toString() {
        return "RefreshAttempt[requestedAt=" + requestedAt + ", generation=" + generation + ", answerLost=" + answerLost
                + ", outdated=" + outdated + "]";
    }
}
