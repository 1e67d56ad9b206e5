package io.github.yototokenkeeper.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.yototokenkeeper.support.KeeperProcess;
import io.github.yototokenkeeper.support.RawHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keeper takes no uploads and needs no temporary directory: the real service in a child JVM whose java.io.tmpdir
 * is unusable (a file named "camel" where Camel would create its upload folder, as another user's leftover or a
 * read-only root would make it) answers every POST, and leaves nothing behind in a usable one.
 */
class NoTempDirectoryTest {

    @TempDir
    Path workDir;

    private Process process;
    private final int port = AvailablePortFinder.getNextAvailable();

    @AfterEach
    void stop() throws Exception {
        if (process != null) {
            process.destroy();
            process.waitFor();
        }
    }

    private void start(Path tmpDir) throws Exception {
        process = KeeperProcess.start(workDir, workDir.resolve("out.log"), Map.of("PORT", String.valueOf(port)),
                List.of("-Djava.io.tmpdir=" + tmpDir));
        KeeperProcess.awaitHealth(process, port, workDir.resolve("out.log"));
    }

    private static RawHttp.Response post(int port, String path, String form) {
        return RawHttp.send(port, "POST", path, form.getBytes(StandardCharsets.US_ASCII), "Content-Type", "application/x-www-form-urlencoded");
    }

    @Test
    void withAnUnusableTemporaryDirectoryEveryPostIsAnswered() throws Exception {
        Path tmp = Files.createDirectory(workDir.resolve("tmp"));
        Files.writeString(tmp.resolve("camel"), "not a directory: left by another user");
        start(tmp);

        RawHttp.Response logout = post(port, "/auth/logout", "");
        RawHttp.Response login = post(port, "/auth/device/start", "a=b");
        RawHttp.Response tooLarge = post(port, "/auth/logout", "a=" + "x".repeat(5_000));

        assertThat(logout.status()).isEqualTo(200);
        assertThat(login.status()).as("no YOTO_CLIENT_ID: the JSON 503, not a 500").isEqualTo(503);
        assertThat(login.body()).contains("YOTO_CLIENT_ID is not set");
        assertThat(tooLarge.status()).isEqualTo(413);
        String log = Files.readString(workDir.resolve("out.log"));
        assertThat(log).doesNotContain("Unhandled exception").doesNotContain("ERROR").doesNotContain("\tat ");
    }

    @Test
    void aStartAndItsPostsLeaveNothingInTheTemporaryDirectory() throws Exception {
        Path tmp = Files.createDirectory(workDir.resolve("tmp"));
        start(tmp);

        assertThat(post(port, "/auth/logout", "a=b").status()).isEqualTo(200);
        process.destroy();
        process.waitFor();

        try (var left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("no camel/camel-tmp-* upload folder")
                    .noneMatch(name -> name.startsWith("camel"));
        }
    }
}
