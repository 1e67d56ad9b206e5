package io.github.yototokenkeeper.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * What the keeper knows in memory: the access token and its expiry, where the session stands, and when to refresh
 * next. The refresh token itself lives in the token file; only a rotated one the disk refused is held here, because
 * then this is its only copy. Thread-safe; never prints a token.
 */
public final class TokenState {

    public enum Status {
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
            return this == REAUTH_REQUIRED ? "reauth_required" : name().toLowerCase(Locale.ROOT);
        }
    }

    private final Clock clock;
    private Status status = Status.LOGGED_OUT;
    private String accessToken;
    private Instant accessTokenExpiresAt;
    private Instant earlyRefreshAt;
    private Instant scheduledRefreshAt;
    private Instant retryAt;
    private Instant lastRefreshAt;
    private Instant lastAttemptEndedAt;
    private int consecutiveFailures;
    private String lastError;
    private String unsavedRefreshToken;
    private long successes;
    private long failures;
    private long reauths;

    public TokenState(Clock clock) {
        this.clock = clock;
    }

    public Clock clock() {
        return clock;
    }

    public Instant now() {
        return clock.instant();
    }

    public synchronized Status status() {
        return status;
    }

    /** A refresh worked: the new access token is in use from now on. */
    public synchronized void refreshSucceeded(String newAccessToken, Instant expiresAt, Instant earlyRefresh) {
        Instant now = now();
        status = Status.AUTHENTICATED;
        accessToken = newAccessToken;
        accessTokenExpiresAt = expiresAt;
        earlyRefreshAt = earlyRefresh;
        lastRefreshAt = now;
        lastAttemptEndedAt = now;
        successes++;
        consecutiveFailures = 0;
        lastError = null;
        retryAt = null;
    }

    /** A refresh failed for a reason that may pass; the access token stays in use until it expires. */
    public synchronized void refreshFailed(String reason, Instant nextRetry) {
        status = Status.REFRESH_FAILING;
        failures++;
        consecutiveFailures++;
        lastError = reason;
        retryAt = nextRetry;
        lastAttemptEndedAt = now();
    }

    /** The server refused the refresh token for good: stop trying until a new login. */
    public synchronized void reauthRequired(String reason) {
        status = Status.REAUTH_REQUIRED;
        reauths++;
        consecutiveFailures++;
        lastError = reason;
        accessToken = null;
        retryAt = null;
        earlyRefreshAt = null;
        lastAttemptEndedAt = now(); // an unsaved token stays: it may be the only copy, and the file's may be older
    }

    /** No refresh token exists (no file, an empty file, or a logout). */
    public synchronized void loggedOut() {
        status = Status.LOGGED_OUT;
        accessToken = null;
        accessTokenExpiresAt = null;
        earlyRefreshAt = null;
        retryAt = null;
        consecutiveFailures = 0;
        lastError = null;
        unsavedRefreshToken = null;
        lastAttemptEndedAt = now();
    }

    /** A refresh that found nothing to do still ends the attempt, so callers waiting on it do not try again. */
    public synchronized void attemptEnded() {
        lastAttemptEndedAt = now();
    }

    public synchronized void scheduledRefreshAt(Instant next) {
        scheduledRefreshAt = next;
    }

    /** A rotated refresh token the disk would not take: kept here, used for the next refresh, saved when possible. */
    public synchronized void holdUnsavedRefreshToken(String refreshToken) {
        unsavedRefreshToken = refreshToken;
    }

    public synchronized Optional<String> unsavedRefreshToken() {
        return Optional.ofNullable(unsavedRefreshToken);
    }

    /** The newest refresh token reached the disk: no token is held in memory any more. */
    public synchronized void unsavedRefreshTokenWritten() {
        unsavedRefreshToken = null;
    }

    /** True when an attempt ended after {@code requestedAt}: a caller who asked then can use its outcome. */
    public synchronized boolean attemptEndedSince(Instant requestedAt) {
        return lastAttemptEndedAt != null && !lastAttemptEndedAt.isBefore(requestedAt);
    }

    /**
     * Is a refresh due now: the first one (none attempted yet), an early refresh before the access token lapses, or a
     * retry after a failure? The first case covers a replica that just became leader: Camel's timer under master: can
     * lose its immediate first tick when its task was scheduled before the leadership started the consumer.
     */
    public synchronized boolean refreshDue() {
        if (lastAttemptEndedAt == null) {
            return true;
        }
        Instant due = switch (status) {
            case AUTHENTICATED -> earlyRefreshAt;
            case REFRESH_FAILING -> retryAt;
            default -> null;
        };
        return due != null && !now().isBefore(due);
    }

    /** The access token, while it has not expired. */
    public synchronized Optional<String> validAccessToken() {
        if (accessToken == null || (accessTokenExpiresAt != null && !now().isBefore(accessTokenExpiresAt))) {
            return Optional.empty();
        }
        return Optional.of(accessToken);
    }

    /** Held, not expired, and not yet at its early-refresh point: good to hand out without refreshing first. */
    public synchronized boolean accessTokenFresh() {
        return validAccessToken().isPresent() && (earlyRefreshAt == null || now().isBefore(earlyRefreshAt));
    }

    /** May a caller trigger a refresh now? Not after a permanent failure, and not before a planned retry. */
    public synchronized boolean refreshAllowedNow() {
        return status != Status.REAUTH_REQUIRED && (status != Status.REFRESH_FAILING || retryAt == null || !now().isBefore(retryAt));
    }

    /** The Yoto API refused this access token (401): stop handing it out, if it is still the current one. */
    public synchronized void rejectAccessToken(String rejected) {
        if (rejected != null && rejected.equals(accessToken)) {
            accessToken = null;
            earlyRefreshAt = null;
        }
    }

    /** Refresh attempts so far with this outcome: success, failure or reauth_required (for metrics). */
    public synchronized long outcomes(String outcome) {
        return switch (outcome) {
            case "success" -> successes;
            case "failure" -> failures;
            case "reauth_required" -> reauths;
            default -> 0;
        };
    }

    public synchronized TokenStatus snapshot() {
        return new TokenStatus(status, accessTokenExpiresAt, lastRefreshAt, nextRefreshAt(), consecutiveFailures,
                lastError, unsavedRefreshToken != null);
    }

    /** The sooner of the next scheduled tick and the early refresh (or retry); none when a refresh cannot help. */
    private Instant nextRefreshAt() {
        return switch (status) {
            case LOGGED_OUT, REAUTH_REQUIRED -> null;
            case AUTHENTICATED -> sooner(earlyRefreshAt, scheduledRefreshAt);
            case REFRESH_FAILING -> sooner(retryAt, scheduledRefreshAt);
        };
    }

    private static Instant sooner(Instant a, Instant b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return a.isBefore(b) ? a : b;
    }
}
