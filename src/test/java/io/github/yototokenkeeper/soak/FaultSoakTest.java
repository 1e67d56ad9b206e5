package io.github.yototokenkeeper.soak;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.yototokenkeeper.support.KeeperProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault soak (not part of verify; ./mvnw -B test -Psoak, -Dsoak.minutes=N, -Dsoak.seed=N): the real service
 * against a token server that rotates on every grant, treats reuse like Auth0 (invalid_grant and the whole family
 * revoked; the previous token accepted for 10 s from its first use) and injects 30% faults. The server knows which
 * answers reached the keeper, so it tells a keeper fault (sending a token it had replaced, an older one, too few tries
 * inside the reuse interval, any refresh after revocation) from a server that failed throughout its own reuse
 * interval: that ends the session whatever a client does, so a "parent" logs in again on the keeper's page and the
 * soak goes on with a new family. At the end: no faults, one refresh, SIGTERM; the file must hold the server's
 * current token. Figures go to target/soak-report.txt; logs to target/soak-keeper.log and target/soak-server.log.
 */
@Tag("soak")
class FaultSoakTest {

    private static final int MINUTES = Integer.getInteger("soak.minutes", 10);
    private static final long SEED = Long.getLong("soak.seed", 2026);
    private static final Path SERVER_LOG = Path.of("target", "soak-server.log");

    @TempDir
    Path dir;

    private HttpServer server;
    private Process keeper;
    private final Random random = new Random(SEED);
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final HttpClient client = HttpClient.newHttpClient();
    private String current = "soak-rt-f0-0";
    private String previous;
    private long previousUntil;
    /** Requests that presented the previous token inside its reuse interval (each one failed or was graced). */
    private int previousTriesInInterval;
    /** The answer carrying the current token reached the keeper in time. */
    private boolean currentDelivered;
    /** After the soak: no more faults, so the keeper ends on a token it certainly received. */
    private volatile boolean faultsOff;
    private final java.util.concurrent.CountDownLatch cleanRotation = new java.util.concurrent.CountDownLatch(1);
    private int family;
    private int serial;
    /** The server revoked the family: every refresh fails until a new login starts another. */
    private boolean familyRevoked;

    @AfterEach
    void stop() {
        if (keeper != null) {
            keeper.destroyForcibly();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    private void count(String what) {
        counts.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
    }

    private int counted(String what) {
        return counts.getOrDefault(what, new AtomicInteger()).get();
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static Map<String, String> form(HttpExchange exchange) throws IOException {
        try (InputStream body = exchange.getRequestBody()) {
            return Stream.of(new String(body.readAllBytes(), StandardCharsets.UTF_8).split("&"))
                    .map(p -> p.split("=", 2))
                    .collect(Collectors.toMap(p -> p[0], p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
        }
    }

    private static void log(String line) throws IOException {
        Files.writeString(SERVER_LOG, System.currentTimeMillis() + " " + line + "\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** RFC 8628 device authorization: the soak's "parent" approves at once, so the first poll after a 1 s wait wins. */
    private void deviceCode(HttpExchange exchange) throws IOException {
        form(exchange);
        count("re-login: device code issued");
        answer(exchange, 200, "{\"device_code\":\"soak-dc\",\"user_code\":\"SOAK-CODE\",\"verification_uri\":"
                + "\"https://login.example/activate\",\"expires_in\":300,\"interval\":1}");
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = form(exchange);
        count("requests");
        if (!"refresh_token".equals(form.get("grant_type"))) {
            newFamily(exchange);
            return;
        }
        String presented = form.get("refresh_token");
        log("presented " + (presented.length() > 24 ? presented.substring(0, 24) : presented));
        double roll;
        String json;
        synchronized (this) {
            if (familyRevoked) { // after invalid_grant the keeper must wait for a new login
                count("REFRESH AFTER THE FAMILY WAS REVOKED");
                answer(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"family revoked\"}");
                return;
            }
            boolean inInterval = System.nanoTime() < previousUntil;
            if (presented.equals(previous) && inInterval) {
                previousTriesInInterval++;
            }
            roll = faultsOff ? 1.0 : random.nextDouble();
            if (roll < 0.08) { // 503 before anything happened
                count("fault: 503");
                answer(exchange, 503, "{\"error\":\"temporarily_unavailable\"}");
                return;
            }
            if (roll < 0.15) { // garbage, nothing rotated
                count("fault: garbage body");
                answer(exchange, 200, "<html>proxy error</html>");
                return;
            }
            if (presented.equals(previous) && currentDelivered) {
                // the keeper had received the token that replaced this one: sending it again is its fault
                count("REUSE CAUSED BY THE KEEPER: a token it had replaced");
            } else if (!presented.equals(current) && !(presented.equals(previous) && inInterval)) {
                String verdict;
                if (!presented.equals(previous)) {
                    verdict = "REUSE CAUSED BY THE KEEPER: an older token";
                } else if (previousTriesInInterval < 3) {
                    // after a lost answer the keeper must retry at once and then every 2 s: at least 3 tries in 10 s
                    verdict = "REUSE CAUSED BY THE KEEPER: too few retries inside the reuse interval";
                } else {
                    verdict = "session ended by the server (failed throughout its reuse interval)";
                }
                count(verdict);
                log("revoked family " + family + ": " + verdict);
                familyRevoked = true; // Auth0 revokes the whole family
                answer(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"reuse detected\"}");
                return;
            }
            if (presented.equals(previous)) {
                count("previous token accepted (reuse interval)");
            } else {
                // a fresh rotation: the reuse interval of the token just used starts now (Auth0 does not extend it
                // when the previous token is used again within it)
                previous = presented;
                previousUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                previousTriesInInterval = 0;
            }
            serial++;
            current = "soak-rt-f" + family + "-" + serial + "-" + "y".repeat(100);
            currentDelivered = false;
            json = "{\"access_token\":\"soak-at-" + serial + "\",\"refresh_token\":\"" + current
                    + "\",\"token_type\":\"Bearer\",\"expires_in\":2}";
            count("rotated");
            if (roll >= 0.30) { // answered in time: from now on the keeper knows the new token
                currentDelivered = true;
                if (faultsOff) {
                    cleanRotation.countDown();
                }
            }
        }
        if (roll < 0.23) { // rotated, then the answer is lost: the connection closes without a response
            count("fault: rotated, answer dropped");
            exchange.close();
            return;
        }
        if (roll < 0.30) { // rotated, then an answer slower than the keeper's 2 s timeout
            count("fault: rotated, answer too late");
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        answer(exchange, 200, json);
    }

    /** The device-code grant of a new login: a new token family, fault-free (the soak is about refreshing). */
    private void newFamily(HttpExchange exchange) throws IOException {
        String json;
        synchronized (this) {
            family++;
            serial++;
            familyRevoked = false;
            previous = null;
            currentDelivered = true;
            current = "soak-rt-f" + family + "-" + serial + "-" + "y".repeat(100);
            json = "{\"access_token\":\"soak-at-" + serial + "\",\"refresh_token\":\"" + current
                    + "\",\"token_type\":\"Bearer\",\"expires_in\":2}";
            count("re-login: new token family");
            log("new family " + family);
        }
        answer(exchange, 200, json);
    }

    /** What the parent does on seeing "log in again": press the button on the keeper's page. */
    private void logInAgainWhenAsked(int port) {
        URI base = URI.create("http://127.0.0.1:" + port);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(1000);
                String status = client.send(HttpRequest.newBuilder(base.resolve("/auth/status")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                if (status.contains("\"state\":\"reauth_required\"")) {
                    client.send(HttpRequest.newBuilder(base.resolve("/auth/device/start"))
                            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
                }
            } catch (InterruptedException stop) {
                return;
            } catch (IOException notUpYet) {
                // the keeper is still starting
            }
        }
    }

    @Test
    void thirtyPercentFaultsLoseNoTokenAndCauseNoReuse() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/oauth/token", this::token);
        server.createContext("/oauth/device/code", this::deviceCode);
        server.start();
        Files.createDirectories(Path.of("target"));
        Files.deleteIfExists(SERVER_LOG);
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path tokenFile = dir.resolve(".yoto_refresh_token");
        Files.writeString(tokenFile, current + "\n");

        // the keeper's log stays in target/ for a post-mortem of any reuse (the server logs each request there too)
        keeper = KeeperProcess.start(dir, Path.of("target", "soak-keeper.log").toAbsolutePath(), Map.of(
                "YOTO_CLIENT_ID", "soak-client",
                "PORT", String.valueOf(port),
                "YOTO_TOKEN_URL", "http://127.0.0.1:" + server.getAddress().getPort() + "/oauth/token",
                "YOTO_DEVICE_CODE_URL", "http://127.0.0.1:" + server.getAddress().getPort() + "/oauth/device/code",
                "YOTO_REFRESH_TOKEN_FILE", tokenFile.toString(),
                "TOKEN_REFRESH_INTERVAL_HOURS", "1",
                "TOKEN_EARLY_REFRESH_SECONDS", "1",
                "TOKEN_EXPIRY_CHECK_SECONDS", "1",
                "YOTO_HTTP_TIMEOUT_SECONDS", "2",
                "TOKEN_RETRY_SECONDS", "1"));

        Thread parent = new Thread(() -> logInAgainWhenAsked(port), "soak-parent");
        parent.start();
        long started = System.nanoTime();
        String onDisk;
        try {
            keeper.waitFor(MINUTES, TimeUnit.MINUTES); // the soak itself: the keeper runs against the faulty server
            assertThat(keeper.isAlive()).as("the keeper survived").isTrue();
            // then no more faults: one answer that surely arrives, and a graceful stop (SIGTERM: a refresh in flight
            // completes and saves its token). The file must then hold exactly the server's current token.
            faultsOff = true;
            assertThat(cleanRotation.await(60, TimeUnit.SECONDS)).as("a refresh without faults after the soak").isTrue();
            keeper.destroy();
            assertThat(keeper.waitFor(60, TimeUnit.SECONDS)).as("the keeper stopped on SIGTERM").isTrue();
        } finally {
            parent.interrupt();
            parent.join();
        }
        synchronized (this) {
            onDisk = Files.readString(tokenFile).strip();
            String report = "Fault soak, " + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s, seed " + SEED + ":\n"
                    + counts.entrySet().stream().sorted(Map.Entry.comparingByKey())
                            .map(e -> "  " + e.getKey() + ": " + e.getValue()).collect(Collectors.joining("\n"))
                    + "\n  after a fault-free refresh and SIGTERM, the token on disk is the server's current one: "
                    + onDisk.equals(current) + "\n";
            Files.writeString(Path.of("target", "soak-report.txt"), report);
            System.out.println(report);
            assertThat(counts.keySet()).as("reuse caused by the keeper, refreshes after revocation")
                    .noneMatch(what -> what.startsWith("REUSE") || what.startsWith("REFRESH AFTER"));
            assertThat(onDisk).as("no token lost: the file holds the server's current token").isEqualTo(current);
            // a graced reuse only follows a rotated answer that did not arrive
            assertThat(counted("previous token accepted (reuse interval)"))
                    .isLessThanOrEqualTo(counted("fault: rotated, answer dropped") + counted("fault: rotated, answer too late"));
        }
        assertThat(counted("rotated")).isGreaterThan(MINUTES * 10);
    }
}
