package io.github.yototokenkeeper.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RefreshPolicyTest {

    private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");

    private RefreshPolicy policy(double random) {
        return new RefreshPolicy(Duration.ofHours(12), Duration.ofMinutes(5), Duration.ofSeconds(30), () -> random);
    }

    @Test
    void aDayLongTokenIsRefreshedTheMarginBeforeItLapses() {
        assertThat(policy(0).earlyRefreshAt(T0, Duration.ofHours(24))).isEqualTo(T0.plus(Duration.ofHours(24)).minus(Duration.ofMinutes(5)));
    }

    @Test
    void aTokenShorterThanTwiceTheMarginIsRefreshedAtHalfItsLifeNeverInALoop() {
        assertThat(policy(0).earlyRefreshAt(T0, Duration.ofMinutes(10))).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(policy(0).earlyRefreshAt(T0, Duration.ofSeconds(60))).isEqualTo(T0.plusSeconds(30));
        assertThat(policy(0).earlyRefreshAt(T0, Duration.ofSeconds(1))).isEqualTo(T0.plusMillis(500));
    }

    @Test
    void retriesBackOffFromThirtySecondsDoublingUpToTheInterval() {
        RefreshPolicy noJitter = policy(1.0);
        assertThat(noJitter.retryDelay(1, null)).isEqualTo(Duration.ofSeconds(30));
        assertThat(noJitter.retryDelay(2, null)).isEqualTo(Duration.ofSeconds(60));
        assertThat(noJitter.retryDelay(3, null)).isEqualTo(Duration.ofSeconds(120));
        assertThat(noJitter.retryDelay(12, null)).isEqualTo(Duration.ofHours(12));
        assertThat(noJitter.retryDelay(500, null)).isEqualTo(Duration.ofHours(12));
    }

    @Test
    void jitterKeepsAtLeastHalfTheBackoff() {
        assertThat(policy(0).retryDelay(1, null)).isEqualTo(Duration.ofSeconds(15));
        assertThat(policy(0.5).retryDelay(2, null)).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void aLongerRetryAfterFromTheServerIsHonoured() {
        assertThat(policy(1.0).retryDelay(1, Duration.ofMinutes(10))).isEqualTo(Duration.ofMinutes(10));
        assertThat(policy(1.0).retryDelay(1, Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDate() {
        Instant now = Instant.parse("2015-10-21T07:28:00Z");
        assertThat(policy(0).retryAfter("120", now)).isEqualTo(Duration.ofSeconds(120));
        assertThat(policy(0).retryAfter("Wed, 21 Oct 2015 07:30:00 GMT", now)).isEqualTo(Duration.ofMinutes(2));
        assertThat(policy(0).retryAfter("soon", now)).isNull();
        assertThat(policy(0).retryAfter(null, now)).isNull();
    }

    @ParameterizedTest(name = "Retry-After: {0}")
    @ValueSource(strings = {"9223372036854775807", "9223372036854775808", "99999999999999999999999999", "1e400", "43201",
            "Fri, 31 Dec 9999 23:59:59 GMT", "Thu, 22 Oct 2015 07:28:01 GMT"})
    void anAbsurdRetryAfterIsCappedAtTheInterval(String header) {
        Instant now = Instant.parse("2015-10-21T07:28:00Z");
        assertThat(policy(0).retryAfter(header, now)).isEqualTo(Duration.ofHours(12));
        assertThat(now.plus(policy(0).retryDelay(1, policy(0).retryAfter(header, now)))).isEqualTo(now.plus(Duration.ofHours(12)));
    }

    @ParameterizedTest(name = "Retry-After: {0}")
    @ValueSource(strings = {"-5", "-9223372036854775808", "0", "Wed, 21 Oct 2015 07:27:59 GMT", "Thu, 01 Jan 1970 00:00:00 GMT"})
    void aNegativeRetryAfterOrAPastDateIsZeroAndTheBackoffRules(String header) {
        Instant now = Instant.parse("2015-10-21T07:28:00Z");
        assertThat(policy(0).retryAfter(header, now)).isEqualTo(Duration.ZERO);
        assertThat(policy(1.0).retryDelay(1, policy(0).retryAfter(header, now))).isEqualTo(Duration.ofSeconds(30));
    }

    @ParameterizedTest(name = "Retry-After: [{0}]")
    @ValueSource(strings = {"", "  ", "soon", "12 seconds", "0x10", "Wed, 32 Oct 2015 07:28:00 GMT", "2015-10-21T07:30:00Z"})
    void anUnreadableRetryAfterIsIgnored(String header) {
        Instant now = Instant.parse("2015-10-21T07:28:00Z");
        assertThat(policy(0).retryAfter(header, now)).isNull();
    }

    @Test
    void aRetryAfterLongerThanTheIntervalIsCappedEvenWhenHandedInDirectly() {
        assertThat(policy(1.0).retryDelay(1, Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo(Duration.ofHours(12));
    }

    static Stream<Arguments> expiresIn() {
        return Stream.of(
                Arguments.of("86400", Duration.ofDays(1)),
                Arguments.of("\"86400\"", Duration.ofDays(1)),
                Arguments.of("0.5", RefreshPolicy.MIN_TOKEN_LIFETIME),
                Arguments.of("9223372036854775807", RefreshPolicy.MAX_TOKEN_LIFETIME),
                Arguments.of("1e400", RefreshPolicy.MAX_TOKEN_LIFETIME),
                Arguments.of("31536001", RefreshPolicy.MAX_TOKEN_LIFETIME),
                Arguments.of("0", null),
                Arguments.of("-5", null),
                Arguments.of("-9223372036854775808", null),
                Arguments.of("\"abc\"", null),
                Arguments.of("{}", null),
                Arguments.of("[3600]", null),
                Arguments.of("null", null),
                Arguments.of("<absent>", null));
    }

    @ParameterizedTest(name = "expires_in: {0}")
    @MethodSource("expiresIn")
    void expiresInIsClampedToOneSecondToAYearElseUnknown(String json, Duration lifetime) throws Exception {
        JsonNode value = json.equals("<absent>") ? null : new ObjectMapper().readTree("{\"expires_in\":" + json + "}").get("expires_in");
        assertThat(RefreshPolicy.accessTokenLifetime(value)).isEqualTo(Optional.ofNullable(lifetime));
        RefreshPolicy.accessTokenLifetime(value).ifPresent(life -> {
            assertThat(T0.plus(life)).isBeforeOrEqualTo(T0.plus(Duration.ofDays(365)));
            assertThat(policy(0).earlyRefreshAt(T0, life)).isAfter(T0);
        });
    }
}
