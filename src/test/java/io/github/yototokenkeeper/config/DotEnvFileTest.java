package io.github.yototokenkeeper.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Python service's .env, read the way python-dotenv reads it. */
class DotEnvFileTest {

    private final List<String> problems = new ArrayList<>();

    private Map<String, String> parse(String... lines) {
        return DotEnvFile.parse(List.of(lines), (line, problem) -> problems.add(line + ": " + problem));
    }

    @Test
    void readsWhatTheFilesOfThePythonServiceHold() {
        Map<String, String> values = parse(
                "\uFEFF# Yoto settings",
                "YOTO_CLIENT_ID=abc123",
                "",
                "export TOKEN_REFRESH_INTERVAL_HOURS = 6   # every six hours",
                "YOTO_REFRESH_TOKEN_FILE='/data/my token#1'",
                "KEEPER_PASSWORD=\"a \\\"quoted\\\" pass#word\"",
                "   RAILWAY_ENVIRONMENT_NAME=production",
                "EMPTY=");
        assertThat(values).containsExactly(
                Map.entry("YOTO_CLIENT_ID", "abc123"),
                Map.entry("TOKEN_REFRESH_INTERVAL_HOURS", "6"),
                Map.entry("YOTO_REFRESH_TOKEN_FILE", "/data/my token#1"),
                Map.entry("KEEPER_PASSWORD", "a \"quoted\" pass#word"),
                Map.entry("RAILWAY_ENVIRONMENT_NAME", "production"),
                Map.entry("EMPTY", ""));
        assertThat(problems).isEmpty();
    }

    @Test
    void aLineItCannotReadIsSkippedAndNamedByNumberNeverByContent() {
        Map<String, String> values = parse("YOTO_CLIENT_ID=abc", "this is not a setting s3cr3t", "KEEPER_PASSWORD=\"unclosed s3cr3t",
                "TOKEN_REFRESH_INTERVAL_HOURS=8");
        assertThat(values).containsOnlyKeys("YOTO_CLIENT_ID", "TOKEN_REFRESH_INTERVAL_HOURS");
        assertThat(problems).containsExactly("2: not NAME=value", "3: a quote is not closed");
    }
}
