package io.github.yototokenkeeper.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.yototokenkeeper.support.HandClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A minute's worth at once, then the limit's pace, each key on its own, and how long to wait when refused. */
class RateLimitTest {

    private final HandClock clock = new HandClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final RateLimit limit = new RateLimit(clock, 60);

    @Test
    void aBurstUpToTheLimitThenOneASecond() {
        for (int i = 0; i < 60; i++) {
            assertThat(limit.take("ha")).as("request %d", i).isEmpty();
        }
        assertThat(limit.take("ha")).hasValueSatisfying(wait -> assertThat(wait).isEqualTo(Duration.ofSeconds(1)));
        assertThat(limit.take("script")).as("another key has its own allowance").isEmpty();

        clock.advance(Duration.ofMillis(500));
        assertThat(limit.take("ha")).hasValueSatisfying(wait -> assertThat(wait).isEqualTo(Duration.ofMillis(500)));
        clock.advance(Duration.ofMillis(500));
        assertThat(limit.take("ha")).isEmpty();
        assertThat(limit.take("ha")).isPresent();

        clock.advance(Duration.ofHours(1));
        for (int i = 0; i < 60; i++) {
            assertThat(limit.take("ha")).as("refilled to the limit, not beyond: request %d", i).isEmpty();
        }
        assertThat(limit.take("ha")).isPresent();
    }
}
