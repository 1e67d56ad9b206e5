package io.github.yototokenkeeper.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.yototokenkeeper.support.KeeperProcess;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real main() in a child JVM, configured by environment variables as an operator would. */
class StartRefusalTest {

    @TempDir
    Path workDir;

    @ParameterizedTest(name = "TOKEN_REFRESH_INTERVAL_HOURS=[{0}]")
    @ValueSource(strings = {"0", "24", "-3", "abc", "12.5", ""})
    void aBadIntervalRefusesToStartWithOneLine(String value) throws Exception {
        Process process = KeeperProcess.start(workDir, workDir.resolve("out.log"), Map.of("TOKEN_REFRESH_INTERVAL_HOURS", value));
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the process ended by itself").isTrue();

        List<String> output = Files.readAllLines(workDir.resolve("out.log"), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).filteredOn(line -> line.contains("ERROR")).singleElement().asString()
                .endsWith("Not starting: TOKEN_REFRESH_INTERVAL_HOURS='" + value
                        + "' is not allowed: use a whole number of hours from 1 to 23 (default 12)");
        assertThat(output).noneMatch(line -> line.startsWith("\tat ") || line.contains("Exception"));
        assertThat(new File(workDir.toFile(), ".yoto_refresh_token")).doesNotExist();
    }

    @org.junit.jupiter.api.Test
    void aShortPasswordRefusesToStartWithOneLineThatDoesNotShowIt() throws Exception {
        Process process = KeeperProcess.start(workDir, workDir.resolve("out.log"), Map.of("KEEPER_PASSWORD", "letmein-123"));
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the process ended by itself").isTrue();

        List<String> output = Files.readAllLines(workDir.resolve("out.log"), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).filteredOn(line -> line.contains("ERROR")).singleElement().asString()
                .endsWith("Not starting: KEEPER_PASSWORD (yoto.keeper.password) is 11 characters long: use at least 12 (a passphrase of a few words is fine)");
        assertThat(output).noneMatch(line -> line.contains("letmein") || line.startsWith("\tat "));
    }

    @org.junit.jupiter.api.Test
    void malformedApiKeysRefuseToStartWithOneLineThatShowsNoKey() throws Exception {
        String key = "apikey-" + io.github.yototokenkeeper.support.Tokens.MARKER + "-0123456789abcdef0123";
        Process process = KeeperProcess.start(workDir, workDir.resolve("out.log"), Map.of("KEEPER_API_KEYS", "ha:" + key + ",ha:x" + key));
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the process ended by itself").isTrue();

        List<String> output = Files.readAllLines(workDir.resolve("out.log"), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).filteredOn(line -> line.contains("ERROR")).singleElement().asString()
                .endsWith("Not starting: KEEPER_API_KEYS (yoto.keeper.api-keys) names 'ha' twice: give every program its own name");
        assertThat(output).noneMatch(line -> line.contains(io.github.yototokenkeeper.support.Tokens.MARKER) || line.startsWith("\tat "));
    }
}
