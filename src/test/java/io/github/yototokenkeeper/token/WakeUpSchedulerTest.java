package io.github.yototokenkeeper.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.yototokenkeeper.oauth.TokenEndpointResponse;
import io.github.yototokenkeeper.support.HandClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the keeper wakes, with wake-ups the test runs by hand: what is planned, for when, and what is not. */
class WakeUpSchedulerTest {

    /** Keeps what is scheduled, with its delay, instead of running it. */
    static final class PlannedWakeUps extends ScheduledThreadPoolExecutor {
        final List<Runnable> tasks = new ArrayList<>();
        final List<Long> delays = new ArrayList<>();

        PlannedWakeUps() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
            tasks.add(task);
            delays.add(unit.toMillis(delay));
            return super.schedule(() -> { }, 1, TimeUnit.DAYS); // cancellable, never runs the task itself
        }

        void runLatest() {
            tasks.get(tasks.size() - 1).run();
        }
    }

    private static final Instant START = Instant.parse("2026-11-30T12:00:00Z");

    @TempDir
    Path dir;

    private final HandClock clock = new HandClock(START);
    private final PlannedWakeUps executor = new PlannedWakeUps();
    private final AtomicBoolean leader = new AtomicBoolean(true);
    private final AtomicInteger woken = new AtomicInteger();
    private TokenSession session;
    private WakeUpScheduler scheduler;

    @BeforeEach
    void setUp() throws Exception {
        TokenFile file = new TokenFile(dir.resolve(".yoto_refresh_token"));
        file.write("rt-first");
        session = new TokenSession(clock, file, new RefreshPolicy(Duration.ofHours(12), Duration.ofMinutes(5), Duration.ofSeconds(30), () -> 0.5));
        scheduler = new WakeUpScheduler(session, executor, leader::get, woken::incrementAndGet);
        session.addListener(scheduler);
    }

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
    }

    private void refreshed(long expiresIn) throws Exception {
        RefreshAttempt attempt = new RefreshAttempt(clock.instant());
        session.tokenToSend(attempt);
        session.refreshed(attempt, new ObjectMapper().readValue(
                "{\"access_token\":\"at\",\"refresh_token\":\"rt-" + expiresIn + "\",\"expires_in\":" + expiresIn + "}", TokenEndpointResponse.class));
    }

    @Test
    void theWakeUpIsPlannedForTheEarlyRefreshOfEachNewToken() throws Exception {
        refreshed(3600);
        assertThat(executor.delays).containsExactly(Duration.ofMinutes(55).toMillis());
        refreshed(60);
        assertThat(executor.delays).containsExactly(Duration.ofMinutes(55).toMillis(), 30_000L);
    }

    @Test
    void aMomentIsWokenForOnceEvenWhenTheWakeUpChangesNothing() throws Exception {
        refreshed(60);
        clock.advance(Duration.ofSeconds(30));
        leader.set(false); // another replica leads now: the refresh declines, the due moment stays where it was

        executor.runLatest();

        assertThat(woken).hasValue(0);
        assertThat(executor.tasks).as("no wake-up planned again for the same moment (it would spin)").hasSize(1);
    }

    @Test
    void theLeaderWakesAndTheNextMomentIsPlannedAfterIt() throws Exception {
        refreshed(60);
        clock.advance(Duration.ofSeconds(30));

        executor.runLatest(); // the wake-up route would refresh here; the test's refresh stands in for it
        refreshed(60);

        assertThat(woken).hasValue(1);
        assertThat(executor.delays).last().isEqualTo(30_000L);
    }

    @Test
    void aStoppedSchedulerPlansNothingMore() throws Exception {
        refreshed(3600);
        scheduler.stop();
        refreshed(60);
        assertThat(executor.tasks).hasSize(1);
    }
}
