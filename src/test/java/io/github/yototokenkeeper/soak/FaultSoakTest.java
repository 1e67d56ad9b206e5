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
 * against a token server that rotates on every grant, treats reuse of an old token like Auth0 (invalid_grant for the
 * whole family, the previous token accepted within a 10 s reuse interval), and injects 30% faults. Result: zero reuse
 * detections caused by the keeper (a token older than the newest it could know), no refresh after the family was
 * revoked, the newest token on disk. A server that fails for its whole reuse interval after rotating ends the session
 * whatever a client does: counted apart, and a "parent" logs in again through the keeper's device flow, as a user
 * would, so the soak goes on with a new token family. Figures go to target/soak-report.txt.
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
        String issuedAccess;
        synchronized (this) {
            if (familyRevoked) { // after invalid_grant the keeper must wait for a new login
                count("REFRESH AFTER THE FAMILY WAS REVOKED");
                answer(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"family revoked\"}");
                return;
            }
            roll = random.nextDouble();
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
            boolean graced = presented.equals(previous) && System.nanoTime() < previousUntil;
            if (!presented.equals(current) && !graced) {
                // the previous token is the newest the keeper can know after a lost answer: sent after the reuse
                // interval, the server failed for the whole interval; any older token is the keeper's fault
                count(presented.equals(previous) ? "session ended by the server (failed throughout its reuse interval)"
                        : "REUSE CAUSED BY THE KEEPER");
                log("revoked family " + family);
                familyRevoked = true; // Auth0 revokes the whole family
                answer(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"reuse detected\"}");
                return;
            }
            if (graced) {
                count("previous token accepted (reuse interval)");
            }
            serial++;
            previous = presented;
            previousUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            current = "soak-rt-f" + family + "-" + serial + "-" + "y".repeat(100);
            issuedAccess = "soak-at-" + serial;
            count("rotated");
        }
        String json = "{\"access_token\":\"" + issuedAccess + "\",\"refresh_token\":\"" + current
                + "\",\"token_type\":\"Bearer\",\"expires_in\":2}";
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
        try {
            keeper.waitFor(MINUTES, TimeUnit.MINUTES); // the soak itself: the keeper runs against the faulty server
        } finally {
            parent.interrupt();
            parent.join();
        }
        assertThat(keeper.isAlive()).as("the keeper survived").isTrue();
        String onDisk;
        synchronized (this) {
            onDisk = Files.readString(tokenFile).strip();
            String report = "Fault soak, " + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s, seed " + SEED + ":\n"
                    + counts.entrySet().stream().sorted(Map.Entry.comparingByKey())
                            .map(e -> "  " + e.getKey() + ": " + e.getValue()).collect(Collectors.joining("\n"))
                    + "\n  token on disk is the current one: " + onDisk.equals(current)
                    + "\n  token on disk is the previous one (answer in flight): " + onDisk.equals(previous) + "\n";
            Files.writeString(Path.of("target", "soak-report.txt"), report);
            System.out.println(report);
            assertThat(counted("REUSE CAUSED BY THE KEEPER")).as("reuse detections caused by the keeper").isZero();
            assertThat(counted("REFRESH AFTER THE FAMILY WAS REVOKED")).as("refreshes after invalid_grant").isZero();
            assertThat(onDisk).as("the token on disk is the newest the keeper could know").isIn(current, previous);
        }
        assertThat(counted("rotated")).isGreaterThan(MINUTES * 10);
    }
}
