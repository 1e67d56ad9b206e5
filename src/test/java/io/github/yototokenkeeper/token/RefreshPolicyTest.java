package io.github.yototokenkeeper.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

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
        assertThat(TokenKeeper.retryAfter("120", now)).isEqualTo(Duration.ofSeconds(120));
        assertThat(TokenKeeper.retryAfter("Wed, 21 Oct 2015 07:30:00 GMT", now)).isEqualTo(Duration.ofMinutes(2));
        assertThat(TokenKeeper.retryAfter("soon", now)).isNull();
        assertThat(TokenKeeper.retryAfter(null, now)).isNull();
    }
}
