package io.github.yototokenkeeper.support;

import io.github.yototokenkeeper.YotoTokenKeeperApplication;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The real service in a child JVM, configured by environment variables as an operator would, logging to a file. */
public final class KeeperProcess {

    private KeeperProcess() {
    }

    /**
     * Starts the service in {@code workDir} with these variables (on top of PORT=0, HOST=127.0.0.1 and no inherited
     * YOTO_CLIENT_ID); its console output is appended to {@code log}.
     */
    public static Process start(Path workDir, Path log, Map<String, String> variables) throws IOException {
        return start(workDir, log, variables, List.of());
    }

    /** The same, with these JVM options ({@code -Djava.io.tmpdir=...}). */
    public static Process start(Path workDir, Path log, Map<String, String> variables, List<String> jvmOptions) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", serviceClassPath(), YotoTokenKeeperApplication.class.getName()));
        return launch(command, workDir, log, variables);
    }

    /** The shipped fat jar ({@code java -jar}), the same way; for tests run after {@code package}. */
    public static Process startJar(Path jar, Path workDir, Path log, Map<String, String> variables) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return launch(List.of(java, "-XX:TieredStopAtLevel=1", "-jar", jar.toAbsolutePath().toString()), workDir, log, variables);
    }

    /**
     * Waits (60 s at most) until the child started on {@code port} answers {@code GET /health} with 200, and returns
     * that answer; fails with the child's log when it stops or never answers.
     */
    public static RawHttp.Response awaitHealth(Process process, int port, Path log) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            try {
                RawHttp.Response health = RawHttp.send(port, "GET", "/health", null);
                if (health.status() == 200) {
                    return health;
                }
            } catch (UncheckedIOException notListeningYet) {
                // not listening yet
            }
            Thread.sleep(100); // a child process's port: there is nothing to await on
        }
        throw new AssertionError("the keeper did not answer /health:\n" + Files.readString(log));
    }

    private static Process launch(List<String> command, Path workDir, Path log, Map<String, String> variables) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.remove("YOTO_CLIENT_ID");
        env.remove("JAVA_TOOL_OPTIONS"); // the JVM would print "Picked up ..." into the log
        env.remove("JDK_JAVA_OPTIONS");
        env.put("PORT", "0");
        env.put("HOST", "127.0.0.1");
        env.putAll(variables);
        return builder.start();
    }

    /**
     * The test class path without the test classes: the service as it ships, with its own console logging
     * ({@code ConsoleLogging}) instead of the tests' logback-test.xml.
     */
    static String serviceClassPath() {
        Path testClasses;
        try {
            testClasses = Path.of(KeeperProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException impossible) {
            throw new IllegalStateException(impossible);
        }
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).toAbsolutePath().equals(testClasses.toAbsolutePath()))
                .collect(Collectors.joining(File.pathSeparator));
    }
}
