package io.github.yototokenkeeper;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.yototokenkeeper.support.KeeperProcess;
import io.github.yototokenkeeper.support.RawHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped artifact, {@code target/yoto-token-keeper.jar}, started with {@code java -jar} as an operator starts it
 * (no account, embedded defaults): it serves /health and the page, and logs in its own line format. Run by failsafe
 * after {@code package}: what the fat jar alone carries (application.properties, the logging service) is checked here.
 */
class FatJarIT {

    private static final Path JAR = Path.of("target", "yoto-token-keeper.jar");

    @TempDir
    Path workDir;

    @Test
    void theFatJarStartsWithItsDefaultsAndLogsInItsPattern() throws Exception {
        assertThat(JAR).as("built by package").isRegularFile();
        int port = AvailablePortFinder.getNextAvailable();
        Path log = workDir.resolve("out.log");
        Process process = KeeperProcess.startJar(JAR, workDir, log, Map.of("PORT", String.valueOf(port)));
        try {
            assertThat(KeeperProcess.awaitHealth(process, port, log).body()).isEqualTo("{\"status\":\"UP\"}");
            RawHttp.Response page = RawHttp.send(port, "GET", "/", null);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body()).contains("YOTO_CLIENT_ID");
        } finally {
            process.destroy();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
        }

        List<String> output = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertThat(output).isNotEmpty().allMatch(line -> line.matches(ConsoleLoggingTest.LINE),
                "a line in the pattern " + ConsoleLogging.PATTERN);
        assertThat(output).anyMatch(line -> line.contains(" WARN  [main] yoto-token-keeper - YOTO_CLIENT_ID is not set"));
        assertThat(output).anyMatch(line -> line.contains("Routes startup"));
    }
}
