package io.github.yototokenkeeper.login;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 8628 §3.5, rule by rule. */
class DevicePollPolicyTest {

    private static final Duration FIVE = Duration.ofSeconds(5);

    private static JsonNode field(String json) throws Exception {
        return new ObjectMapper().readTree("{\"v\":" + json + "}").get("v");
    }

    @Test
    void noIntervalMeansFiveSeconds() throws Exception {
        assertThat(DevicePollPolicy.initialInterval(null)).isEqualTo(FIVE);
        assertThat(DevicePollPolicy.initialInterval(field("0"))).isEqualTo(FIVE);
        assertThat(DevicePollPolicy.initialInterval(field("8"))).isEqualTo(Duration.ofSeconds(8));
    }

    @ParameterizedTest(name = "interval: {0} -> {1} s")
    @CsvSource(delimiter = '|', value = {
            "-3 | 5", "-9223372036854775808 | 5", "'\"abc\"' | 5", "{} | 5", "null | 5",
            "'\"8\"' | 8", "0.2 | 1", "60 | 60", "61 | 60", "999999 | 60", "9223372036854775807 | 60", "1e400 | 60"})
    void aServerIntervalIsFiveSecondsWhenInvalidAndAtMostAMinute(String json, long seconds) throws Exception {
        assertThat(DevicePollPolicy.initialInterval(field(json))).isEqualTo(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest(name = "expires_in: {0} -> {1} s")
    @CsvSource(delimiter = '|', value = {
            "900 | 900", "'\"900\"' | 900", "0.5 | 1", "86400 | 86400", "86401 | 86400", "9223372036854775807 | 86400",
            "1e400 | 86400", "-1 | 900", "0 | 900", "'\"abc\"' | 900", "{} | 900", "null | 900"})
    void aCodeLivesAtMostADayAndFifteenMinutesWhenInvalid(String json, long seconds) throws Exception {
        assertThat(DevicePollPolicy.codeLifetime(field(json))).isEqualTo(Duration.ofSeconds(seconds));
        assertThat(DevicePollPolicy.codeLifetime(null)).isEqualTo(DevicePollPolicy.DEFAULT_CODE_LIFETIME);
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
    void slowDownNeverGrowsTheIntervalPastTwoMinutes() {
        Duration interval = Duration.ofSeconds(60);
        for (int i = 0; i < 1_000; i++) {
            interval = DevicePollPolicy.onError("slow_down", null, 429, interval).nextInterval();
        }
        assertThat(interval).isEqualTo(DevicePollPolicy.MAX_INTERVAL).isEqualTo(Duration.ofMinutes(2));
        assertThat(DevicePollPolicy.onError("slow_down", null, 400, Duration.ofSeconds(118)).nextInterval()).isEqualTo(Duration.ofMinutes(2));
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
