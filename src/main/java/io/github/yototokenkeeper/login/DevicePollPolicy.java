package io.github.yototokenkeeper.login;

import io.github.yototokenkeeper.token.FailureReasons;
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
    /** Connection errors and 5xx: poll less often, but never wait longer than this between two polls. */
    static final Duration MAX_INTERVAL = Duration.ofMinutes(2);

    private DevicePollPolicy() {
    }

    public static Duration initialInterval(Long intervalSeconds) {
        return intervalSeconds == null || intervalSeconds <= 0 ? DEFAULT_INTERVAL : Duration.ofSeconds(intervalSeconds);
    }

    /** The server answered with an OAuth error. */
    public static PollDecision onError(String error, String description, int httpStatus, Duration interval) {
        return switch (error) {
            case "authorization_pending" -> PollDecision.again(interval);
            case "slow_down" -> PollDecision.again(interval.plus(SLOW_DOWN_STEP));
            case "expired_token" -> PollDecision.stop(DeviceLogin.State.EXPIRED, "the code expired before it was approved");
            case "access_denied" -> PollDecision.stop(DeviceLogin.State.DENIED, "the login was declined");
            default -> PollDecision.stop(DeviceLogin.State.ERROR, FailureReasons.serverError(httpStatus, error, description));
        };
    }

    /** The request failed (connection error, timeout, 5xx, an answer that is not JSON): wait twice as long, go on. */
    public static PollDecision onTransientFailure(Duration interval) {
        Duration doubled = interval.multipliedBy(2);
        return PollDecision.again(doubled.compareTo(MAX_INTERVAL) > 0 ? max(interval, MAX_INTERVAL) : doubled);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
