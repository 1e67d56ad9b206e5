package io.github.yototokenkeeper.login;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.yototokenkeeper.oauth.FailureReasons;
import io.github.yototokenkeeper.oauth.ServerSeconds;
import java.time.Duration;

/**
 * RFC 8628 §3.5, as plain rules: what each answer of the token endpoint means for the next poll. The JSON
 * {@code error} decides, whatever the HTTP status (400, 403 and 429 all occur for {@code slow_down}).
 */
public final class DevicePollPolicy {

    /** RFC 8628 §3.2: the interval to use when the server gives none. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    /** RFC 8628 §3.5: {@code slow_down} adds this to the interval, for this and all later polls. */
    public static final Duration SLOW_DOWN_STEP = Duration.ofSeconds(5);
    /** Connection errors, 5xx and {@code slow_down}: poll less often, but never wait longer than this between two polls. */
    static final Duration MAX_INTERVAL = Duration.ofMinutes(2);
    /**
     * The longest first interval believed from a server: a longer one (say 999999 s) would stall the login past its
     * code's life. Real servers ask for about 5 s.
     */
    public static final Duration MAX_SERVER_INTERVAL = Duration.ofSeconds(60);
    /** RFC 8628 makes {@code expires_in} required; a server that leaves it out, or sends nonsense, gets this much time. */
    public static final Duration DEFAULT_CODE_LIFETIME = Duration.ofMinutes(15);
    /** Device codes live minutes; beyond a day no user is still at the page, and the arithmetic stays safe. */
    public static final Duration MAX_CODE_LIFETIME = Duration.ofDays(1);
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    private DevicePollPolicy() {
    }

    /** The answer's {@code interval}, clamped to [1 s, {@link #MAX_SERVER_INTERVAL}]; 5 s when absent or invalid. */
    public static Duration initialInterval(JsonNode interval) {
        return ServerSeconds.positive(interval, ONE_SECOND, MAX_SERVER_INTERVAL).orElse(DEFAULT_INTERVAL);
    }

    /** The answer's {@code expires_in}, clamped to [1 s, {@link #MAX_CODE_LIFETIME}]; 15 min when absent or invalid. */
    public static Duration codeLifetime(JsonNode expiresIn) {
        return ServerSeconds.positive(expiresIn, ONE_SECOND, MAX_CODE_LIFETIME).orElse(DEFAULT_CODE_LIFETIME);
    }

    /** The server answered with an OAuth error. */
    public static PollDecision onError(String error, String description, int httpStatus, Duration interval) {
        return switch (error) {
            case "authorization_pending" -> PollDecision.again(interval);
            case "slow_down" -> PollDecision.again(capped(interval.plus(SLOW_DOWN_STEP), interval));
            case "expired_token" -> PollDecision.stop(DeviceLogin.State.EXPIRED, "the code expired before it was approved");
            case "access_denied" -> PollDecision.stop(DeviceLogin.State.DENIED, "the login was declined");
            default -> PollDecision.stop(DeviceLogin.State.ERROR, FailureReasons.serverError(httpStatus, error, description));
        };
    }

    /** The request failed (connection error, timeout, 5xx, an answer that is not JSON): wait twice as long, go on. */
    public static PollDecision onTransientFailure(Duration interval) {
        return PollDecision.again(capped(interval.multipliedBy(2), interval));
    }

    /** {@code next}, but at most {@link #MAX_INTERVAL} (or the current interval, should that already be longer). */
    private static Duration capped(Duration next, Duration interval) {
        if (next.compareTo(MAX_INTERVAL) <= 0) {
            return next;
        }
        return interval.compareTo(MAX_INTERVAL) >= 0 ? interval : MAX_INTERVAL;
    }
}
