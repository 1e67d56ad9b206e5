package io.github.yototokenkeeper.support;

import java.util.concurrent.atomic.AtomicInteger;

/** Token values for tests. Each holds {@link #MARKER}, which must never appear in any log line. */
public final class Tokens {

    public static final String MARKER = "s3cr3tT0k";
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private Tokens() {
    }

    public static String refresh() {
        return "rt-" + MARKER + "-" + COUNTER.incrementAndGet();
    }

    public static String access() {
        return "at-" + MARKER + "-" + COUNTER.incrementAndGet();
    }
}
