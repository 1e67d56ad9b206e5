package io.github.yototokenkeeper;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.ConsoleAppender;
import io.github.yototokenkeeper.support.KeeperProcess;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service's logging set up in Java, and an operator's logback configuration winning over it. */
class ConsoleLoggingTest {

    /** time, level, [thread], logger - message */
    static final String LINE = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} (INFO |WARN |ERROR) \\[[^]]+] \\S+ - .*";

    @TempDir
    Path dir;

    @Test
    void infoAndUpGoToTheConsoleWithVertxAtWarn() {
        LoggerContext context = new LoggerContext();
        ConsoleLogging.apply(context);

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        assertThat(root.getAppender("CONSOLE")).isInstanceOfSatisfying(ConsoleAppender.class, console -> {
            assertThat(console.isStarted()).isTrue();
            assertThat(((PatternLayoutEncoder) console.getEncoder()).getPattern()).isEqualTo(ConsoleLogging.PATTERN);
        });
        assertThat(context.getLogger("io.vertx.core.impl.VertxImpl").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("org.apache.camel.main.Main").getEffectiveLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("io.github.yototokenkeeper.token").isDebugEnabled()).isFalse();
    }

    @Test
    void givesWayToTheSystemPropertyOrALogbackFileOnTheClassPath() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Path withXml = Files.createDirectory(dir.resolve("with-xml"));
        Files.writeString(withXml.resolve("logback.xml"), "<configuration/>");
        Files.writeString(withXml.resolve("quiet.xml"), "<configuration/>");
        Path file = Files.writeString(dir.resolve("mine.xml"), "<configuration/>");
        try (URLClassLoader nothing = loader(empty); URLClassLoader xml = loader(withXml)) {
            assertThat(ConsoleLogging.operatorConfiguration(null, nothing)).isNull();
            assertThat(ConsoleLogging.operatorConfiguration(" ", nothing)).isNull();
            assertThat(ConsoleLogging.operatorConfiguration(file.toString(), nothing))
                    .isEqualTo("-Dlogback.configurationFile=" + file);
            assertThat(ConsoleLogging.operatorConfiguration("https://config.example/logback.xml", nothing))
                    .isEqualTo("-Dlogback.configurationFile=https://config.example/logback.xml");
            assertThat(ConsoleLogging.operatorConfiguration("quiet.xml", xml)).isEqualTo("-Dlogback.configurationFile=quiet.xml");
            assertThat(ConsoleLogging.operatorConfiguration(null, xml)).isEqualTo("logback.xml on the class path");
            // a path that leads nowhere: logback itself would fall back to DEBUG for everything
            assertThat(ConsoleLogging.operatorConfiguration(dir.resolve("typo.xml").toString(), nothing)).isNull();
        }
    }

    @Test
    void theServicePrintsItsLinesInThePattern() throws Exception {
        List<String> output = refusedStart(List.of());

        assertThat(output).isNotEmpty().allMatch(line -> line.matches(LINE), "a line in the pattern " + ConsoleLogging.PATTERN);
        assertThat(output).anyMatch(line -> line.contains(" ERROR [main] ") && line.endsWith("Not starting: TOKEN_REFRESH_INTERVAL_HOURS='0'"
                + " is not allowed: use a whole number of hours from 1 to 23 (default 12)"));
    }

    @Test
    void anOperatorsConfigurationFileWins() throws Exception {
        Path config = dir.resolve("my-logback.xml");
        Files.writeString(config, """
                <configuration>
                  <appender name="MINE" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>MINE %level %logger - %msg%n</pattern></encoder>
                  </appender>
                  <root level="DEBUG"><appender-ref ref="MINE"/></root>
                </configuration>
                """);
        List<String> output = refusedStart(List.of("-Dlogback.configurationFile=" + config));

        assertThat(output).anyMatch(line -> line.startsWith("MINE DEBUG "));
        assertThat(output).anyMatch(line -> line.startsWith("MINE ERROR ") && line.contains("Not starting: TOKEN_REFRESH_INTERVAL_HOURS='0'"));
        assertThat(output).noneMatch(line -> line.matches(LINE));
    }

    @Test
    void aConfigurationFileThatIsNotThereIsReportedAndTheServicesLoggingKept() throws Exception {
        Path missing = dir.resolve("no-such-logback.xml");
        List<String> output = refusedStart(List.of("-Dlogback.configurationFile=" + missing));

        assertThat(output).isNotEmpty().allMatch(line -> line.matches(LINE), "a line in the pattern " + ConsoleLogging.PATTERN);
        assertThat(output).anyMatch(line -> line.contains(" WARN  [main] yoto-token-keeper - ") && line.contains(missing.toString())
                && line.endsWith("is neither a URL, a class path resource nor a file: logging as the service does by default"));
        assertThat(output).noneMatch(line -> line.contains(" DEBUG "));
    }

    /** The real service in a child JVM, refusing to start on a bad setting: its whole console output. */
    private List<String> refusedStart(List<String> jvmOptions) throws Exception {
        Path log = dir.resolve("out.log");
        Process process = KeeperProcess.start(dir, log, Map.of("TOKEN_REFRESH_INTERVAL_HOURS", "0"), jvmOptions);
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the process ended by itself").isTrue();
        } finally {
            process.destroyForcibly();
        }
        assertThat(process.exitValue()).isEqualTo(2);
        return Files.readAllLines(log, StandardCharsets.UTF_8);
    }

    private static URLClassLoader loader(Path directory) throws Exception {
        return new URLClassLoader(new URL[] {directory.toUri().toURL()}, null);
    }
}
