package io.github.yototokenkeeper.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.yototokenkeeper.support.KeeperProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deployment migrated from the Python service keeps its .env: the real main() in a child JVM, in a working
 * directory with a .env and an application.properties. The environment wins over .env, .env over the file.
 */
class DotEnvStartTest {

    @TempDir
    Path workDir;

    private Process process;

    @AfterEach
    void stop() throws Exception {
        if (process != null) {
            process.destroy();
            process.waitFor();
        }
    }

    private String startAndReadReport(Map<String, String> environment) throws Exception {
        Path log = workDir.resolve("out.log");
        process = KeeperProcess.start(workDir, log, environment);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            String output = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            if (output.contains("Starting background token refresh task")) {
                return output;
            }
            Thread.sleep(50); // polling a child process's log: there is nothing to await on
        }
        throw new AssertionError("the keeper did not report its start:\n" + Files.readString(log));
    }

    @Test
    void theSettingsOfTheDotEnvFileAreUsedBetweenTheEnvironmentAndApplicationProperties() throws Exception {
        Files.writeString(workDir.resolve(".env"), """
                # from yoto-smart-stream
                export YOTO_CLIENT_ID="client-from-dotenv"
                TOKEN_REFRESH_INTERVAL_HOURS=6   # every six hours
                """);
        Files.writeString(workDir.resolve("application.properties"), """
                TOKEN_REFRESH_INTERVAL_HOURS = 3
                YOTO_REFRESH_TOKEN_FILE = from-properties.token
                """);

        String report = startAndReadReport(Map.of());

        assertThat(report).contains("Settings read from .env: TOKEN_REFRESH_INTERVAL_HOURS, YOTO_CLIENT_ID")
                .contains("every 6 hours").contains(workDir.resolve("from-properties.token").toString())
                .doesNotContain("YOTO_CLIENT_ID is not set").doesNotContain("client-from-dotenv");
    }

    @Test
    void theEnvironmentWinsOverTheDotEnvFile() throws Exception {
        Files.writeString(workDir.resolve(".env"), "TOKEN_REFRESH_INTERVAL_HOURS=6\n");

        String report = startAndReadReport(Map.of("TOKEN_REFRESH_INTERVAL_HOURS", "9"));

        assertThat(report).contains("every 9 hours");
    }
}
