package io.github.yototokenkeeper.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 9: a server's number of seconds, read leniently and without overflow. */
class ServerSecondsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MIN = Duration.ofSeconds(1);
    private static final Duration MAX = Duration.ofDays(1);

    /** The value as Jackson reads it inside an answer, as the data format does. */
    private static JsonNode field(String json) throws Exception {
        return JSON.readTree("{\"v\":" + json + "}").get("v");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "3600                 | 3600",
            "'\"3600\"'           | 3600",
            "'\" 42 \"'           | 42",
            "3600.2               | 3601",
            "0.2                  | 1",
            "-0.5                 | 0",
            "0                    | 0",
            "-5                   | -5",
            "'\"-5\"'             | -5",
            "1e3                  | 1000",
            "9223372036854775807  | 9223372036854775807",
            "9223372036854775808  | 9223372036854775807",
            "1e400                | 9223372036854775807",
            "'\"1e400\"'          | 9223372036854775807",
            "-1e400               | -9223372036854775808",
            "1e-999999999         | 0",
            "'\"1e-999999999\"'   | 1",
            "123456789012345678901234567890 | 9223372036854775807"})
    void numbersAndNumericStringsAreWholeSecondsSaturatedAtLong(String json, long seconds) throws Exception {
        assertThat(ServerSeconds.parse(field(json))).isEqualTo(OptionalLong.of(seconds));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"null", "\"abc\"", "\"\"", "\"12abc\"", "{}", "{\"s\":3600}", "[3600]", "true", "\"NaN\"",
            "\"Infinity\"", "\"1e99999999999\""})
    void anythingElseIsNoNumber(String json) throws Exception {
        assertThat(ServerSeconds.parse(field(json))).isEmpty();
    }

    @Test
    void anAbsentFieldIsNoNumber() throws Exception {
        assertThat(ServerSeconds.parse(JSON.readTree("{}").get("v"))).isEmpty();
        assertThat(ServerSeconds.parse((String) null)).isEmpty();
        assertThat(ServerSeconds.parse("9".repeat(101))).as("longer than any number a server means").isEmpty();
    }

    @Test
    void positiveValuesAreClampedAndTheRestIsNotGiven() throws Exception {
        assertThat(ServerSeconds.positive(field("600"), MIN, MAX)).contains(Duration.ofMinutes(10));
        assertThat(ServerSeconds.positive(field("0.01"), MIN, MAX)).contains(MIN);
        assertThat(ServerSeconds.positive(field("9223372036854775807"), MIN, MAX)).contains(MAX);
        assertThat(ServerSeconds.positive(field("1e400"), MIN, MAX)).contains(MAX);
        assertThat(ServerSeconds.positive(field("0"), MIN, MAX)).isEmpty();
        assertThat(ServerSeconds.positive(field("-9223372036854775808"), MIN, MAX)).isEmpty();
        assertThat(ServerSeconds.positive(field("\"abc\""), MIN, MAX)).isEmpty();
        assertThat(ServerSeconds.positive(null, MIN, MAX)).isEmpty();
    }

    @Test
    void clampNeverBuildsADurationOutOfRange() {
        assertThat(ServerSeconds.clamp(Long.MAX_VALUE, Duration.ZERO, MAX)).isEqualTo(MAX);
        assertThat(ServerSeconds.clamp(Long.MIN_VALUE, Duration.ZERO, MAX)).isEqualTo(Duration.ZERO);
        assertThat(ServerSeconds.clamp(90, Duration.ZERO, MAX)).isEqualTo(Duration.ofSeconds(90));
    }
}
