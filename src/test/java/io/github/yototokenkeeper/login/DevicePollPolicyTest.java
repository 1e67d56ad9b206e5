package io.github.yototokenkeeper.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 8628 §3.5, rule by rule. */
class DevicePollPolicyTest {

    private static final Duration FIVE = Duration.ofSeconds(5);

    @Test
    void noIntervalMeansFiveSeconds() {
        assertThat(DevicePollPolicy.initialInterval(null)).isEqualTo(FIVE);
        assertThat(DevicePollPolicy.initialInterval(0L)).isEqualTo(FIVE);
        assertThat(DevicePollPolicy.initialInterval(8L)).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void pendingWaitsTheSameInterval() {
        PollDecision decision = DevicePollPolicy.onError("authorization_pending", null, 400, FIVE);
        assertThat(decision.pollAgain()).isTrue();
        assertThat(decision.nextInterval()).isEqualTo(FIVE);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 403, 429})
    void slowDownAddsFiveSecondsWhateverTheStatus(int status) {
        PollDecision decision = DevicePollPolicy.onError("slow_down", null, status, Duration.ofSeconds(10));
        assertThat(decision.pollAgain()).isTrue();
        assertThat(decision.nextInterval()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void expiredDeniedAndUnknownErrorsStop() {
        assertThat(DevicePollPolicy.onError("expired_token", null, 400, FIVE).state()).isEqualTo(DeviceLogin.State.EXPIRED);
        assertThat(DevicePollPolicy.onError("access_denied", null, 403, FIVE).state()).isEqualTo(DeviceLogin.State.DENIED);
        PollDecision unknown = DevicePollPolicy.onError("invalid_client", "Unknown client", 401, FIVE);
        assertThat(unknown.pollAgain()).isFalse();
        assertThat(unknown.state()).isEqualTo(DeviceLogin.State.ERROR);
        assertThat(unknown.reason()).isEqualTo("the token endpoint answered HTTP 401 invalid_client (Unknown client)");
    }

    @Test
    void connectionErrorsDoubleTheWaitUpToTwoMinutes() {
        assertThat(DevicePollPolicy.onTransientFailure(FIVE).nextInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(DevicePollPolicy.onTransientFailure(Duration.ofSeconds(90)).nextInterval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(DevicePollPolicy.onTransientFailure(Duration.ofMinutes(3)).nextInterval()).isEqualTo(Duration.ofMinutes(3));
        assertThat(DevicePollPolicy.onTransientFailure(FIVE).pollAgain()).isTrue();
    }
}
