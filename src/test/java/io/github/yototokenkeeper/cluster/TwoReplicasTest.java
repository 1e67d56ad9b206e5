package io.github.yototokenkeeper.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.github.yototokenkeeper.support.KeeperProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas (two JVMs) on one token directory with KEEPER_CLUSTER=true: only the holder of the file lock refreshes,
 * the token server never sees a reused token, and when the leader is killed the other takes over.
 */
class TwoReplicasTest {

    @TempDir
    Path dir;

    /** The replicas' logs stay after the test, for a failure's post-mortem. */
    private static final Path LOGS = Path.of("target", "cluster-test");

    private HttpServer server;
    private final List<Process> replicas = new CopyOnWriteArrayList<>();
    /** Which replica (by client id) made each grant, in order. */
    private final List<String> grantsBy = new CopyOnWriteArrayList<>();
    private final Semaphore grantSignals = new Semaphore(0);
    private final AtomicInteger reuses = new AtomicInteger();
    private volatile String current = "cluster-rt-0";
    private volatile String previous;
    private volatile long previousUntil;

    @AfterEach
    void stop() {
        replicas.forEach(Process::destroyForcibly);
        if (server != null) {
            server.stop(0);
        }
    }

    /**
     * Rotates on every grant. Like Auth0: the previous token is still accepted for a reuse interval (30 s here: a leader
     * killed after the server rotated but before it saved leaves the previous token on disk, and the takeover takes
     * about 11 s with a 2 s lock interval); any other token that is not the current one is a reuse: invalid_grant, and
     * the whole family is revoked.
     */
    private void startServer() throws IOException {
        Files.createDirectories(LOGS);
        try (var old = Files.list(LOGS)) {
            old.forEach(file -> file.toFile().delete());
        }
        AtomicInteger counter = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/oauth/token", exchange -> {
            Map<String, String> form;
            try (InputStream body = exchange.getRequestBody()) {
                form = Stream.of(new String(body.readAllBytes(), StandardCharsets.UTF_8).split("&")).map(p -> p.split("=", 2))
                        .collect(Collectors.toMap(p -> p[0], p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
            }
            byte[] answer;
            int status;
            synchronized (this) {
                String presented = form.get("refresh_token");
                boolean graced = presented.equals(previous) && System.nanoTime() < previousUntil;
                if (!presented.equals(current) && !graced) {
                    reuses.incrementAndGet();
                    current = "revoked";
                    status = 400;
                    answer = "{\"error\":\"invalid_grant\"}".getBytes(StandardCharsets.UTF_8);
                } else {
                    int n = counter.incrementAndGet();
                    previous = presented;
                    previousUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    current = "cluster-rt-" + n;
                    status = 200;
                    answer = ("{\"access_token\":\"cluster-at-" + n + "\",\"refresh_token\":\"" + current
                            + "\",\"token_type\":\"Bearer\",\"expires_in\":2}").getBytes(StandardCharsets.UTF_8);
                    grantsBy.add(form.get("client_id"));
                }
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
            grantSignals.release();
        });
        server.start();
    }

    private Process replica(String name) throws IOException {
        Process process = KeeperProcess.start(dir, LOGS.resolve(name + ".log"), Map.of(
                "YOTO_CLIENT_ID", name,
                "YOTO_TOKEN_URL", "http://127.0.0.1:" + server.getAddress().getPort() + "/oauth/token",
                "YOTO_REFRESH_TOKEN_FILE", dir.resolve("volume/.yoto_refresh_token").toString(),
                "TOKEN_EARLY_REFRESH_SECONDS", "1",
                "TOKEN_EXPIRY_CHECK_SECONDS", "1",
                "KEEPER_CLUSTER", "true",
                "KEEPER_CLUSTER_LOCK_SECONDS", "2"));
        replicas.add(process);
        return process;
    }

    /** Waits for {@code count} more grants (the replicas refresh about once a second). */
    private void awaitGrants(int count) throws InterruptedException {
        assertThat(grantSignals.tryAcquire(count, 60, TimeUnit.SECONDS)).as("%d more token requests within 60 s", count).isTrue();
    }

    @Test
    void onlyTheLeaderRefreshesAndTheOtherTakesOverWhenItDies() throws Exception {
        startServer();
        Files.createDirectories(dir.resolve("volume"));
        Files.writeString(dir.resolve("volume/.yoto_refresh_token"), "cluster-rt-0\n");

        Process first = replica("replica-a");
        awaitGrants(1); // replica-a took the lock and refreshed
        Process second = replica("replica-b");
        grantSignals.drainPermits();
        awaitGrants(6); // several refresh cycles with both replicas running

        assertThat(reuses).as("a refresh token was never sent twice").hasValue(0);
        assertThat(grantsBy).as("only the lock holder refreshed").containsOnly("replica-a");
        Path shared = dir.resolve("volume/.yoto_access_token");
        assertThat(Files.getPosixFilePermissions(shared)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(shared)).contains("cluster-at-").contains("expires_at");

        int before = grantsBy.size();
        first.destroyForcibly().waitFor(); // the leader dies without a word
        grantSignals.drainPermits();
        awaitGrants(3); // replica-b took the lock (once the dead leader's heartbeat went stale) and refreshes

        // replica-a refreshes about once a second until it is killed: one grant of its own may still come after
        // `before` was read (or be answered as it dies), never more, and none once replica-b has taken over
        List<String> all = List.copyOf(grantsBy); // a snapshot: replica-b goes on adding to the list
        List<String> after = all.subList(before, all.size());
        assertThat(after).as("after the leader died").contains("replica-b");
        int takeover = after.indexOf("replica-b");
        assertThat(after.subList(takeover, after.size())).as("from replica-b's first grant on").containsOnly("replica-b");
        assertThat(takeover).as("replica-a grants after `before`, before the takeover").isLessThanOrEqualTo(1);
        assertThat(reuses).as("no reuse across the failover either").hasValue(0);

        // replica-b keeps rotating: stopped first, so that the file and the server's tokens are read at rest, and
        // the server's two together under its lock
        second.destroyForcibly().waitFor();
        synchronized (this) {
            // the newest token, or the one before it when replica-b died before saving the newest answer
            assertThat(Files.readString(dir.resolve("volume/.yoto_refresh_token")).strip()).isIn(current, previous);
        }
    }
}
