package io.github.yototokenkeeper.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A number of seconds as a server gave it ({@code expires_in}, {@code interval}, {@code Retry-After}). Servers send
 * strings, fractions, exponents and values past any sane range: read leniently here, clamp in the policies, so that
 * no later arithmetic can overflow and no odd value can fail a whole answer.
 */
public final class ServerSeconds {

    /** Longer text is no number a server means; it also keeps BigDecimal parsing cheap. */
    private static final int MAX_TEXT = 100;
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);

    private ServerSeconds() {
    }

    /**
     * A JSON number or numeric string as whole seconds: rounded up (a positive fraction stays positive), saturated at
     * the bounds of {@code long}. Empty when absent, null, or not a number (an object, {@code "abc"}, NaN).
     */
    public static OptionalLong parse(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return OptionalLong.empty();
        }
        if (value.isNumber()) {
            if (value.isDouble() || value.isFloat()) {
                return fromDouble(value.doubleValue());
            }
            return saturated(value.decimalValue());
        }
        return value.isTextual() ? parse(value.textValue()) : OptionalLong.empty();
    }

    /** The same for text (a header, or a JSON string). */
    public static OptionalLong parse(String text) {
        if (text == null) {
            return OptionalLong.empty();
        }
        String trimmed = text.strip();
        if (trimmed.isEmpty() || trimmed.length() > MAX_TEXT) {
            return OptionalLong.empty();
        }
        try {
            return saturated(new BigDecimal(trimmed));
        } catch (NumberFormatException notANumber) { // also an exponent beyond int range
            return OptionalLong.empty();
        }
    }

    /**
     * A positive number of seconds, clamped to [{@code min}, {@code max}]; empty when absent, not a number, zero or
     * negative (for a lifetime or an interval these mean "not given").
     */
    public static Optional<Duration> positive(JsonNode value, Duration min, Duration max) {
        OptionalLong seconds = parse(value);
        if (seconds.isEmpty() || seconds.getAsLong() <= 0) {
            return Optional.empty();
        }
        return Optional.of(clamp(seconds.getAsLong(), min, max));
    }

    /** {@code seconds} within [{@code min}, {@code max}], without building a Duration out of range first. */
    public static Duration clamp(long seconds, Duration min, Duration max) {
        if (seconds <= min.getSeconds()) {
            return min;
        }
        return seconds >= max.getSeconds() ? max : Duration.ofSeconds(seconds);
    }

    private static OptionalLong fromDouble(double seconds) {
        if (Double.isNaN(seconds)) {
            return OptionalLong.empty();
        }
        if (Double.isInfinite(seconds)) { // 1e400 read as a double
            return OptionalLong.of(seconds > 0 ? Long.MAX_VALUE : Long.MIN_VALUE);
        }
        return saturated(BigDecimal.valueOf(seconds));
    }

    private static OptionalLong saturated(BigDecimal seconds) {
        if (seconds.compareTo(LONG_MAX) >= 0) {
            return OptionalLong.of(Long.MAX_VALUE);
        }
        if (seconds.compareTo(LONG_MIN) <= 0) {
            return OptionalLong.of(Long.MIN_VALUE);
        }
        if (seconds.abs().compareTo(BigDecimal.ONE) < 0) { // before setScale: 1e-999999999 would take forever to round
            return OptionalLong.of(seconds.signum() > 0 ? 1 : 0);
        }
        return OptionalLong.of(seconds.setScale(0, RoundingMode.CEILING).longValueExact());
    }
}
