package io.github.yototokenkeeper.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows password guessing down: after {@link #MAX_FAILURES} wrong passwords from one address within {@link #WINDOW},
 * that address is refused (429) for {@link #LOCKOUT}, whatever it sends, then may try again. Short on purpose: the
 * parent who mistyped is back in a minute, a guesser gets ten tries a minute, hopeless against 12 characters.
 * Remembers at most {@link #MAX_ADDRESSES} addresses (the oldest go first), so a flood cannot fill the memory.
 */
final class PasswordAttempts {

    static final int MAX_FAILURES = 10;
    static final Duration WINDOW = Duration.ofMinutes(1);
    static final Duration LOCKOUT = Duration.ofMinutes(1);
    static final int MAX_ADDRESSES = 10_000;

    private static final class Record {
        int failures;
        Instant windowStart;
        Instant blockedUntil;
    }

    private final Clock clock;
    private final Map<String, Record> records = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Record> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    PasswordAttempts(Clock clock) {
        this.clock = clock;
    }

    /** How long this address must still wait, when it is refused for now. */
    synchronized Optional<Duration> blockedFor(String address) {
        Record record = records.get(address);
        Instant now = clock.instant();
        if (record == null || record.blockedUntil == null || !now.isBefore(record.blockedUntil)) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, record.blockedUntil));
    }

    /** A wrong password from this address; true when it is the one that starts a lockout. */
    synchronized boolean failed(String address) {
        Instant now = clock.instant();
        Record record = records.computeIfAbsent(address, a -> new Record());
        if (record.windowStart == null || !now.isBefore(record.windowStart.plus(WINDOW))
                || (record.blockedUntil != null && !now.isBefore(record.blockedUntil))) {
            record.failures = 0;
            record.windowStart = now;
            record.blockedUntil = null;
        }
        record.failures++;
        if (record.failures >= MAX_FAILURES && record.blockedUntil == null) {
            record.blockedUntil = now.plus(LOCKOUT);
            return true;
        }
        return false;
    }

    /** The right password: this address starts afresh. */
    synchronized void succeeded(String address) {
        records.remove(address);
    }
}
