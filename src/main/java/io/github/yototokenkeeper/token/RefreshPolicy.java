package io.github.yototokenkeeper.token;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.yototokenkeeper.oauth.OAuthClient;
import io.github.yototokenkeeper.oauth.ServerSeconds;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/** When to refresh next: plain arithmetic, tested without Camel. */
public final class RefreshPolicy {

    /**
     * After an answer was lost (the server may have rotated), retry this often with the same token while
     * {@link #AMBIGUOUS_WINDOW} lasts: the server accepts the previous token only for a short reuse interval.
     */
    public static final Duration AMBIGUOUS_RETRY = Duration.ofSeconds(2);
    public static final Duration AMBIGUOUS_WINDOW = Duration.ofSeconds(30);
    /**
     * The access-token lifetimes believed from {@code expires_in}. Real ones last minutes to a day; a year is far
     * beyond any, and keeps {@code Instant} arithmetic on an absurd value from overflowing.
     */
    public static final Duration MIN_TOKEN_LIFETIME = Duration.ofSeconds(1);
    public static final Duration MAX_TOKEN_LIFETIME = Duration.ofDays(365);

    private final Duration interval;
    /** First retry after a transient failure; each further failure doubles it, up to the refresh interval. */
    private final Duration firstRetry;
    private final Duration margin;
    private final DoubleSupplier random;

    public RefreshPolicy(Duration interval, Duration margin, Duration firstRetry, DoubleSupplier random) {
        this.interval = interval;
        this.firstRetry = firstRetry;
        this.margin = margin;
        this.random = random;
    }

    public Duration interval() {
        return interval;
    }

    /**
     * The life of an access token from its answer's {@code expires_in}, clamped to [{@link #MIN_TOKEN_LIFETIME},
     * {@link #MAX_TOKEN_LIFETIME}]; empty ("unknown expiry", as when it is absent) for zero, negative or not a number.
     */
    public static Optional<Duration> accessTokenLifetime(JsonNode expiresIn) {
        return ServerSeconds.positive(expiresIn, MIN_TOKEN_LIFETIME, MAX_TOKEN_LIFETIME);
    }

    /**
     * RFC 9110 §10.2.3: {@code Retry-After} is delay-seconds or an HTTP date. The wait is at most the interval (the
     * scheduled refresh comes then anyway) and at least zero (a negative value or a past date: the backoff rules);
     * null when the header is absent or unreadable.
     */
    public Duration retryAfter(String header, Instant now) {
        return OAuthClient.retryAfter(header, now).map(wait -> wait.compareTo(interval) > 0 ? interval : wait).orElse(null);
    }

    /**
     * When to refresh an access token received at {@code receivedAt} that lives {@code lifetime}: the margin before it
     * lapses, but never earlier than half its life, so a margin longer than a short lifetime (a one-minute token and
     * a five-minute margin) cannot turn into a refresh loop.
     */
    public Instant earlyRefreshAt(Instant receivedAt, Duration lifetime) {
        Duration wait = lifetime.minus(margin);
        Duration half = lifetime.dividedBy(2);
        return receivedAt.plus(wait.compareTo(half) > 0 ? wait : half);
    }

    /**
     * How long to wait before retrying after {@code consecutiveFailures} transient failures (1 for the first): from the
     * first retry (30 s by default),
     * doubling, capped at the interval, with "equal jitter" (between half and all of it) so replicas and restarts do not
     * retry in step; a server's {@code Retry-After} is honoured when it asks for longer, up to the interval.
     */
    public Duration retryDelay(int consecutiveFailures, Duration retryAfter) {
        int doublings = Math.min(Math.max(consecutiveFailures - 1, 0), 20);
        Duration backoff = firstRetry.multipliedBy(1L << doublings);
        if (backoff.compareTo(interval) > 0) {
            backoff = interval;
        }
        long halfMillis = backoff.toMillis() / 2;
        Duration jittered = Duration.ofMillis(halfMillis + (long) (random.getAsDouble() * halfMillis));
        if (retryAfter == null || retryAfter.compareTo(jittered) <= 0) {
            return jittered;
        }
        return retryAfter.compareTo(interval) > 0 ? interval : retryAfter;
    }
}
