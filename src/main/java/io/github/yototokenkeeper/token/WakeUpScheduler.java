package io.github.yototokenkeeper.token;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Wakes the keeper at the session's next due moment (an early refresh, a retry, the access token's expiry). Camel's
 * timers fire at a fixed period; this moment moves with every answer, and a one-minute access token must be
 * refreshed within its minute. Follows the session as a listener; the expiry-check timer stays as a slow backstop.
 * A moment is woken for once: when the wake-up changes nothing (another replica leads), the backstop takes over.
 */
public final class WakeUpScheduler implements SessionListener {

    private final TokenSession session;
    private final ScheduledExecutorService executor;
    private final BooleanSupplier mayWake;
    private final Runnable wakeUp;
    private ScheduledFuture<?> pending;
    private Instant lastWoken;
    private boolean stopped;

    /**
     * @param mayWake is this keeper the one that refreshes (the leader), and not stopping?
     * @param wakeUp  what to do when the moment comes (the wake-up route), on the executor's thread
     */
    public WakeUpScheduler(TokenSession session, ScheduledExecutorService executor, BooleanSupplier mayWake, Runnable wakeUp) {
        this.session = session;
        this.executor = executor;
        this.mayWake = mayWake;
        this.wakeUp = wakeUp;
    }

    @Override
    public void on(SessionEvent event) {
        reschedule();
    }

    /** Plans the next wake-up, in place of the one planned before. */
    public synchronized void reschedule() {
        if (pending != null) {
            pending.cancel(false); // also the one running now, which called this: it ends by itself
            pending = null;
        }
        Instant next = session.nextWakeUp().orElse(null);
        if (next == null || stopped || (lastWoken != null && !next.isAfter(lastWoken))) {
            return;
        }
        // rounded up to the next millisecond: a wake-up a moment early would find nothing due yet
        long delay = Math.max(0, (Duration.between(session.now(), next).toNanos() + 999_999) / 1_000_000);
        try {
            pending = executor.schedule(() -> wake(next), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // the keeper stops: nothing more to wake
        }
    }

    /** The keeper stops: nothing more is woken, and nothing planned holds the stop up. */
    public synchronized void stop() {
        stopped = true;
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    private void wake(Instant moment) {
        synchronized (this) {
            lastWoken = moment;
        }
        try {
            if (mayWake.getAsBoolean()) {
                wakeUp.run();
            }
        } finally {
            reschedule();
        }
    }
}
