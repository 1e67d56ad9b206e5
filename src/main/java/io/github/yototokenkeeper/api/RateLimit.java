package io.github.yototokenkeeper.api;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * Requests per minute for each key (or "local" without keys): a token bucket that holds a minute's worth and refills
 * evenly, so a program may burst up to the limit and then goes at the limit's pace. Refused: how long until the next
 * request would be allowed, for {@code Retry-After}. Written by hand, not Camel's throttle EIP: the throttler delays or
 * rejects without saying when to come back, and a bucket on an injected time source is tested without waiting. The
 * time is monotonic ({@code System::nanoTime}), never the wall clock: a clock stepped back by NTP or by hand would
 * otherwise block a key for the length of the jump while {@code Retry-After} said a second. The number of buckets is
 * bounded by the configured key names.
 */
public final class RateLimit {

    private final LongSupplier nanoTime;
    private final int perMinute;
    private final double perNano;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        private double tokens;
        private long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    /** @param nanoTime a monotonic time in nanoseconds: {@code System::nanoTime}; tests move their own */
    public RateLimit(LongSupplier nanoTime, int perMinute) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("at least one request a minute");
        }
        this.nanoTime = nanoTime;
        this.perMinute = perMinute;
        this.perNano = perMinute / (double) Duration.ofMinutes(1).toNanos();
    }

    public int perMinute() {
        return perMinute;
    }

    /** Takes one request from {@code name}'s allowance: empty when allowed, else how long until one is. */
    public Optional<Duration> take(String name) {
        long now = nanoTime.getAsLong();
        Bucket bucket = buckets.computeIfAbsent(name, n -> new Bucket(perMinute, now));
        synchronized (bucket) {
            long elapsed = Math.max(0, now - bucket.at); // by difference, as nanoTime may wrap
            bucket.tokens = Math.min(perMinute, bucket.tokens + elapsed * perNano);
            bucket.at += elapsed;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return Optional.empty();
            }
            return Optional.of(Duration.ofNanos((long) Math.ceil((1 - bucket.tokens) / perNano)));
        }
    }
}
