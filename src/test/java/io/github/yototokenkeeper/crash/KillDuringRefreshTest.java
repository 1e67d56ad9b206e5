package io.github.yototokenkeeper.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.github.yototokenkeeper.support.KeeperProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as a child process, killed with SIGKILL at random moments of its refresh cycles. After each kill the token
 * file must hold exactly a token the server issued (the old one or the new one), never an empty or partial one, and the
 * restarted process must carry on with it. A short run here; {@code -Dcrash.kills=200} (profile "crash") for the long one.
 */
class KillDuringRefreshTest {

    private static final int KILLS = Integer.getInteger("crash.kills", 12);

    @TempDir
    Path dir;

    private HttpServer server;
    private Process keeper;
    /** Every refresh token the stand-in server has handed out, plus the first one. */
    private final Set<String> issued = ConcurrentHashMap.newKeySet();
    private final AtomicInteger grants = new AtomicInteger();

    @AfterEach
    void stop() {
        if (keeper != null) {
            keeper.destroyForcibly();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    /** A token endpoint that rotates on every grant; answers take 0 to 150 ms, so kills land before, during and after. */
    private void startServer() throws IOException {
        Random delays = new Random(7);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/oauth/token", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                body.readAllBytes();
            }
            int n = grants.incrementAndGet();
            String refresh = "crash-rt-" + n + "-" + "x".repeat(200); // long enough that a partial write would show
            issued.add(refresh);
            try {
                Thread.sleep(delays.nextInt(150));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] json = ("{\"access_token\":\"crash-at-" + n + "\",\"refresh_token\":\"" + refresh
                    + "\",\"token_type\":\"Bearer\",\"expires_in\":2}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, json.length);
            exchange.getResponseBody().write(json);
            exchange.close();
        });
        server.start();
    }

    private Process startKeeper() throws IOException {
        // a 2-second access token, refreshed at half its life, checked every second: a refresh about every second
        return KeeperProcess.start(dir, dir.resolve("keeper.log"), Map.of(
                "YOTO_CLIENT_ID", "crash-client",
                "YOTO_TOKEN_URL", "http://127.0.0.1:" + server.getAddress().getPort() + "/oauth/token",
                "YOTO_REFRESH_TOKEN_FILE", dir.resolve("tokens/.yoto_refresh_token").toString(),
                "TOKEN_EARLY_REFRESH_SECONDS", "1",
                "TOKEN_EXPIRY_CHECK_SECONDS", "1"));
    }

    @Test
    void aKilledKeeperLeavesTheOldTokenOrTheNewOneNeverLessAndCarriesOn() throws Exception {
        startServer();
        Path tokenFile = dir.resolve("tokens/.yoto_refresh_token");
        Files.createDirectories(tokenFile.getParent());
        Files.writeString(tokenFile, "crash-rt-0\n");
        issued.add("crash-rt-0");
        Random when = new Random(42);

        for (int kill = 1; kill <= KILLS; kill++) {
            int grantsBefore = grants.get();
            keeper = startKeeper();
            // wait until this process has refreshed at least once (it carries on from the file), then kill at random
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (grants.get() == grantsBefore) {
                assertThat(keeper.isAlive()).as("keeper process running, see " + dir.resolve("keeper.log")).isTrue();
                assertThat(System.nanoTime()).as("the restarted keeper refreshed within 30 s").isLessThan(deadline);
                Thread.onSpinWait();
                keeper.waitFor(5, TimeUnit.MILLISECONDS);
            }
            keeper.waitFor(when.nextInt(2500), TimeUnit.MILLISECONDS); // somewhere in the next refresh cycles
            keeper.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook runs

            String content = Files.readString(tokenFile);
            assertThat(content).as("after kill %d the file holds one whole issued token", kill).endsWith("\n");
            assertThat(issued).as("after kill %d", kill).contains(content.strip());
        }
        assertThat(grants.get()).isGreaterThanOrEqualTo(KILLS);
        try (var leftovers = Files.list(tokenFile.getParent())) {
            // temporary files of a killed write may remain until the next start removes them; never anything else
            assertThat(leftovers.map(p -> p.getFileName().toString()))
                    .allMatch(name -> name.equals(".yoto_refresh_token") || name.matches("\\.yoto_refresh_token\\..*\\.tmp"));
        }
    }
}
