package io.github.yototokenkeeper.support;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;

/**
 * Holds the keeper's fast retries after a lost answer (the wake-up route {@value #ROUTE} brings one more refresh 2 s
 * after the failure, again and again for 30 s; this test keeps its backstop timer at an hour) until the test lets one
 * through, so that a test counting token requests is not raced by them. Each retry waits, where the wake-up route asks
 * for the refresh, for a pass of its own: {@link #letOneThrough()} lets exactly the next one go, the one after it stays
 * held. Installed before the context starts; {@link #open()} in an
 * {@code @AfterEach}, always, or the context's stop waits for the held retry.
 */
public final class FastRetryGate {

    public static final String ROUTE = "yoto-keeper-wake-up";

    private final Semaphore passes = new Semaphore(0);
    private volatile boolean open;

    private FastRetryGate() {
    }

    /** Advises the retry route of this not yet started context (the keeper tests start it themselves). */
    public static FastRetryGate install(CamelContext context) throws Exception {
        FastRetryGate gate = new FastRetryGate();
        // held where the wake-up asks for the refresh: a wake-up with nothing due passes by
        AdviceWith.adviceWith(context, ROUTE, route -> route.weaveByToUri("direct:yoto-keeper-refresh").before()
                .process(exchange -> gate.awaitPass()));
        return gate;
    }

    private void awaitPass() throws InterruptedException {
        if (!open) {
            passes.tryAcquire(30, TimeUnit.SECONDS); // at most the retries' own window: never holds a stop for good
        }
    }

    /** The next retry (held now or still to come) goes on, after its usual 2 s. */
    public void letOneThrough() {
        passes.release();
    }

    /** Every retry goes on from now on, held ones included. */
    public void open() {
        open = true;
        passes.release(1_000);
    }
}
