package io.github.yototokenkeeper.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A minute's worth at once, then the limit's pace, each key on its own, and how long to wait when refused. */
class RateLimitTest {

    /** Monotonic nanoseconds, moved by hand; near the top of the range, so that it wraps during the test. */
    private final AtomicLong nanos = new AtomicLong(Long.MAX_VALUE - Duration.ofSeconds(1).toNanos());
    private final RateLimit limit = new RateLimit(nanos::get, 60);

    @Test
    void aBurstUpToTheLimitThenOneASecond() {
        for (int i = 0; i < 60; i++) {
            assertThat(limit.take("ha")).as("request %d", i).isEmpty();
        }
        assertThat(limit.take("ha")).hasValueSatisfying(wait -> assertThat(wait).isEqualTo(Duration.ofSeconds(1)));
        assertThat(limit.take("script")).as("another key has its own allowance").isEmpty();

        nanos.addAndGet(Duration.ofMillis(500).toNanos());
        assertThat(limit.take("ha")).hasValueSatisfying(wait -> assertThat(wait).isEqualTo(Duration.ofMillis(500)));
        nanos.addAndGet(Duration.ofMillis(500).toNanos());
        assertThat(limit.take("ha")).isEmpty();
        assertThat(limit.take("ha")).isPresent();

        nanos.addAndGet(Duration.ofHours(1).toNanos());
        for (int i = 0; i < 60; i++) {
            assertThat(limit.take("ha")).as("refilled to the limit, not beyond: request %d", i).isEmpty();
        }
        assertThat(limit.take("ha")).isPresent();
    }
}
