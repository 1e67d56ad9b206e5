package io.github.yototokenkeeper.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.yototokenkeeper.embed.KeeperAssembly;
import io.github.yototokenkeeper.support.CapturedLogs;
import io.github.yototokenkeeper.support.KeeperMainTestSupport;
import io.github.yototokenkeeper.support.RawHttp;
import io.github.yototokenkeeper.support.Tokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The program API over real HTTP: WireMock plays Yoto's token server and the Yoto API. */
class ProgramApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String HA_KEY = "ha-" + Tokens.MARKER + "-0123456789abcdef0123456789";
    static final String SCRIPT_KEY = "script-" + Tokens.MARKER + "-0123456789abcdef0123";
    static final String PROXY_ONLY_KEY = "nodered-" + Tokens.MARKER + "-0123456789abcdef01";
    static final String PASSWORD = "correct horse battery staple";

    static JsonNode json(HttpResponse<String> response) throws IOException {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return JSON.readTree(response.body());
    }

    /** The system clock plus a shift: time goes on (a refresh asked for later is a new one), and jumps when told. */
    static final class ShiftedClock extends java.time.Clock {
        private volatile Duration shift = Duration.ZERO;

        void advance(Duration duration) {
            shift = shift.plus(duration);
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(shift);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    /** The base of the tests: a keeper that talks to WireMock for both the token endpoint and the API. */
    abstract static class ApiTestBase extends KeeperMainTestSupport {

        /** Real time, moved ahead by hand when a test needs an expired token or a refilled allowance. */
        final ShiftedClock clock = new ShiftedClock();
        private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        @Override
        protected void keeperBeans(Registry registry) {
            registry.bind(KeeperAssembly.CLOCK, clock);
        }

        @Override
        protected void keeperProperties(Properties properties) {
            properties.put("yoto.keeper.api-url", yoto.baseUrl());
        }

        /** Logged in with this access token (an hour's life), the start-up refresh done. */
        String loggedIn() throws IOException {
            writeTokenFile(Tokens.refresh());
            String access = Tokens.access();
            stubTokenAnswer(access, Tokens.refresh(), 3600);
            startKeeper();
            return access;
        }

        HttpResponse<String> send(String method, String path, String body, String... headers) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            for (int i = 0; i < headers.length; i += 2) {
                request.header(headers[i], headers[i + 1]);
            }
            try {
                return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** 403 api_keys_required, saying why in words that contain {@code reasons}, and no token. */
        void assertKeysRequired(String path, int status, String body, String... reasons) throws IOException {
            assertThat(status).as(path).isEqualTo(403);
            JsonNode problem = JSON.readTree(body);
            assertThat(problem.get("error").asText()).isEqualTo("api_keys_required");
            assertThat(problem.get("message").asText()).contains("KEEPER_API_KEYS").doesNotContain(PASSWORD);
            for (String reason : reasons) {
                assertThat(problem.get("message").asText()).contains(reason);
            }
            assertThat(body).doesNotContain(Tokens.MARKER);
        }

        /** No answer of the API holds a refresh token, and no log line a token or key (TokenLeakGuard checks that too). */
        void assertNoRefreshTokenIn(HttpResponse<String> response) throws IOException {
            assertThat(response.body()).doesNotContain("rt-" + Tokens.MARKER).doesNotContain("refresh_token");
            assertThat(response.body()).doesNotContain(tokenFileContent().strip());
        }
    }

    @Nested
    class WithoutKeysOnLoopback extends ApiTestBase {

        @Test
        void theTokenIsServedWithItsExpiryNeverCachedAndNeverTheRefreshToken() throws Exception {
            String access = loggedIn();
            int mark = CapturedLogs.mark();

            HttpResponse<String> response = send("GET", "/api/token", null);

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode token = json(response);
            assertThat(token.fieldNames()).toIterable().containsExactly("access_token", "token_type", "expires_at", "expires_in");
            assertThat(token.get("access_token").asText()).isEqualTo(access);
            assertThat(token.get("token_type").asText()).isEqualTo("Bearer");
            assertThat(Instant.parse(token.get("expires_at").asText())).isEqualTo(status().accessTokenExpiresAt());
            assertThat(token.get("expires_in").asLong()).isBetween(3590L, 3600L);
            assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
            assertNoRefreshTokenIn(response);
            assertThat(CapturedLogs.textSince(mark)).contains("API request: key=local route=token method=GET status=200 outcome=served");
            yoto.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH))); // the start-up refresh only
        }

        @Test
        void answersNeverEchoTheRequestsHeaders() throws Exception {
            loggedIn();
            String[] sent = {"X-Echo-Probe", "probe-value", "Cookie", "probe=cookie-value"};

            for (HttpResponse<String> answer : List.of(send("GET", "/api/token", null, sent), send("DELETE", "/api/token", null, sent))) {
                assertThat(answer.headers().map().keySet()).as("headers of the %d answer", answer.statusCode())
                        .noneMatch(name -> name.equalsIgnoreCase("X-Echo-Probe") || name.equalsIgnoreCase("Cookie"));
                assertThat(answer.headers().map().toString()).doesNotContain("probe-value", "cookie-value");
            }
        }

        @Test
        void concurrentRequestsOnAnExpiredTokenShareOneRefresh() throws Exception {
            loggedIn();
            yoto.resetAll();
            String fresh = Tokens.access();
            stubTokenAnswer(fresh, Tokens.refresh(), 3600);
            yoto.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo(TOKEN_PATH))
                    .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(tokenJson(fresh, Tokens.refresh(), 3600))
                            .withFixedDelay(300)));
            clock.advance(Duration.ofHours(2)); // the access token has expired

            int callers = 16;
            ExecutorService pool = Executors.newFixedThreadPool(callers);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return send("GET", "/api/token", null);
                }));
            }
            go.countDown();
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get(30, TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(json(response).get("access_token").asText()).isEqualTo(fresh);
            }
            pool.shutdown();
            yoto.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
        }

        @Test
        void a503SaysWhenANewLoginIsNeeded() throws Exception {
            startKeeper(); // logged out
            HttpResponse<String> loggedOut = send("GET", "/api/token", null);
            assertThat(loggedOut.statusCode()).isEqualTo(503);
            assertThat(json(loggedOut).get("error").asText()).isEqualTo("login_required");
            assertThat(send("GET", "/api/yoto/card/family/library", null).statusCode()).isEqualTo(503);

            writeTokenFile(Tokens.refresh());
            stubTokenError(400, "invalid_grant");
            refreshNow();
            HttpResponse<String> refused = send("GET", "/api/token", null);
            assertThat(refused.statusCode()).isEqualTo(503);
            JsonNode problem = json(refused);
            assertThat(problem.get("error").asText()).isEqualTo("login_required");
            assertThat(problem.get("message").asText()).contains("log in again");
            assertNoRefreshTokenIn(refused);
            yoto.verify(0, anyRequestedFor(urlPathMatching("/card/.*")));
        }

        @Test
        void aFailingTokenServerIsA503WithAReasonToo() throws Exception {
            startKeeper();
            writeTokenFile(Tokens.refresh());
            yoto.stubFor(tokenEndpoint().willReturn(aResponse().withStatus(500)));
            HttpResponse<String> failing = send("GET", "/api/token", null);
            assertThat(failing.statusCode()).isEqualTo(503);
            assertThat(json(failing).get("error").asText()).isEqualTo("token_unavailable");
            assertThat(failing.headers().firstValue("Retry-After")).isPresent();
        }

        @Test
        void requestsForOtherSitesOrUnderForeignNamesAreRefused() throws Exception {
            loggedIn();
            HttpResponse<String> crossSite = send("GET", "/api/token", null, "Sec-Fetch-Site", "cross-site");
            HttpResponse<String> foreignOrigin = send("POST", "/api/yoto/card", "{}", "Origin", "https://evil.example");
            RawHttp.Response rebound = RawHttp.send(httpPort(), "GET", "/api/token", null, "Host", "evil.test:" + httpPort());

            assertThat(crossSite.statusCode()).isEqualTo(403);
            assertThat(json(crossSite).get("error").asText()).isEqualTo("cross_site_request");
            assertThat(foreignOrigin.statusCode()).isEqualTo(403);
            assertThat(rebound.status()).isEqualTo(421);
            assertThat(rebound.body()).doesNotContain(Tokens.MARKER);
            assertThat(crossSite.body() + foreignOrigin.body()).doesNotContain(Tokens.MARKER);
            yoto.verify(0, anyRequestedFor(urlPathMatching("/card.*")));
            assertThat(send("GET", "/api/token", null, "Sec-Fetch-Site", "none").statusCode()).as("typed into the address bar").isEqualTo(200);
        }

        @Test
        void theProxyPassesMethodQueryBodyAndContentTypeWithTheKeepersBearer() throws Exception {
            String access = loggedIn();
            yoto.stubFor(any(urlPathMatching("/content/.*")).willReturn(aResponse().withStatus(201)
                    .withHeader("Content-Type", "application/json").withHeader("X-Yoto", "kept")
                    .withHeader("Set-Cookie", "session=yoto; HttpOnly").withBody("{\"ok\":true}")));
            int mark = CapturedLogs.mark();

            HttpResponse<String> posted = send("POST", "/api/yoto/content/abc?a=1&b=two%20words&httpMethod=DELETE&proxyAuthHost=evil",
                    "{\"title\":\"Bedtime\"}", "Content-Type", "application/json", "Authorization", "Bearer the-programs-own",
                    "Cookie", "keeper=1", "X-Custom", "passes");
            HttpResponse<String> put = send("PUT", "/api/yoto/content/abc", "plain", "Content-Type", "text/plain");
            HttpResponse<String> deleted = send("DELETE", "/api/yoto/content/abc", null);

            assertThat(posted.statusCode()).isEqualTo(201);
            assertThat(posted.body()).isEqualTo("{\"ok\":true}");
            assertThat(posted.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            assertThat(posted.headers().firstValue("X-Yoto")).as("not on the allowlist").isEmpty();
            assertThat(posted.headers().allValues("Set-Cookie")).isEmpty();
            assertThat(posted.headers().firstValue("Cache-Control")).contains("no-store");
            yoto.verify(1, postRequestedFor(urlEqualTo("/content/abc?a=1&b=two%20words&httpMethod=DELETE&proxyAuthHost=evil"))
                    .withHeader("Authorization", equalTo("Bearer " + access))
                    .withHeader("Content-Type", com.github.tomakehurst.wiremock.client.WireMock.containing("application/json"))
                    .withHeader("X-Custom", equalTo("passes"))
                    .withHeader("Cookie", absent())
                    .withRequestBody(equalToJson("{\"title\":\"Bedtime\"}")));
            assertThat(put.statusCode()).isEqualTo(201);
            yoto.verify(1, putRequestedFor(urlEqualTo("/content/abc")).withRequestBody(equalTo("plain"))
                    .withHeader("Authorization", equalTo("Bearer " + access)));
            assertThat(deleted.statusCode()).isEqualTo(201);
            yoto.verify(1, deleteRequestedFor(urlEqualTo("/content/abc")));
            assertThat(CapturedLogs.textSince(mark)).contains("API request: key=local route=proxy method=POST status=201 outcome=served");
        }

        @Test
        void placeholdersInTheQueryOrPathReachYotoAsTheTextSentNeverResolved() throws Exception {
            loggedIn();
            yoto.stubFor(any(urlPathMatching("/x.*")).willReturn(aResponse().withStatus(200).withBody("{}")));

            RawHttp.Response query = RawHttp.send(httpPort(), "GET",
                    "/api/yoto/x?a={{yoto.keeper.api-keys}}&b={{yoto.keeper.client-id}}&c={{env:PATH}}", null);
            RawHttp.Response path = RawHttp.send(httpPort(), "GET", "/api/yoto/x{{yoto.keeper.token-file}}", null);

            assertThat(query.status()).isEqualTo(200);
            assertThat(path.status()).isEqualTo(200);
            List<String> urls = yoto.getAllServeEvents().stream().map(e -> e.getRequest().getUrl()).filter(u -> u.startsWith("/x")).toList();
            assertThat(urls).containsExactlyInAnyOrder(
                    "/x?a=%7B%7Byoto.keeper.api-keys%7D%7D&b=%7B%7Byoto.keeper.client-id%7D%7D&c=%7B%7Benv:PATH%7D%7D",
                    "/x%7B%7Byoto.keeper.token-file%7D%7D");
            assertThat(String.join(" ", urls)).doesNotContain(CLIENT_ID).doesNotContain(tokenFile().toString())
                    .doesNotContain(System.getenv("PATH"));
            yoto.verify(1, getRequestedFor(urlPathEqualTo("/x")).withQueryParam("a", equalTo("{{yoto.keeper.api-keys}}")));
        }

        @Test
        void onlyAnAllowlistOfYotosHeadersReachesTheClient() throws Exception {
            loggedIn();
            yoto.stubFor(get(urlPathEqualTo("/card/x")).willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                    .withHeader("Access-Control-Allow-Origin", "*").withHeader("Access-Control-Allow-Credentials", "true")
                    .withHeader("Strict-Transport-Security", "max-age=31536000").withHeader("Alt-Svc", "h3=\":443\"")
                    .withHeader("WWW-Authenticate", "Bearer realm=\"yoto\"").withHeader("Location", "https://evil.example/")
                    .withHeader("Set-Cookie", "s=1").withHeader("ETag", "\"v1\"").withHeader("Retry-After", "7")
                    .withHeader("X-RateLimit-Remaining", "0").withBody("{\"slow\":\"down\"}")));

            HttpResponse<String> response = send("GET", "/api/yoto/card/x", null);

            assertThat(response.statusCode()).isEqualTo(429);
            assertThat(response.body()).isEqualTo("{\"slow\":\"down\"}");
            for (String dropped : List.of("Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Strict-Transport-Security",
                    "Alt-Svc", "WWW-Authenticate", "Location", "Set-Cookie", "Matched-Stub-Id")) {
                assertThat(response.headers().allValues(dropped)).as(dropped).isEmpty();
            }
            assertThat(response.headers().firstValue("ETag")).contains("\"v1\"");
            assertThat(response.headers().firstValue("Retry-After")).contains("7");
            assertThat(response.headers().firstValue("X-RateLimit-Remaining")).contains("0");
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            assertThat(response.headers().allValues("Cache-Control")).containsExactly("no-store");
            assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        }

        @Test
        void theClientsAcceptEncodingStaysHereAndItGetsThePlainBody() throws Exception {
            loggedIn();
            // what Yoto would answer a client that asked for brotli: bytes the keeper's HTTP client cannot decode
            yoto.stubFor(get(urlPathEqualTo("/card/z")).atPriority(1).withHeader("Accept-Encoding", containing("br"))
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                            .withHeader("Content-Encoding", "br").withBody(new byte[] {0x1b, 0x0d, 0x00, (byte) 0xf8, 0x25})));
            // and to the keeper's own gzip: a gzip body, decoded by the HTTP client
            java.io.ByteArrayOutputStream gzipped = new java.io.ByteArrayOutputStream();
            try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(gzipped)) {
                gzip.write("{\"cards\":[]}".getBytes(StandardCharsets.UTF_8));
            }
            yoto.stubFor(get(urlPathEqualTo("/card/z")).atPriority(2).withHeader("Accept-Encoding", containing("gzip"))
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                            .withHeader("Content-Encoding", "gzip").withBody(gzipped.toByteArray())));

            HttpResponse<String> response = send("GET", "/api/yoto/card/z", null, "Accept-Encoding", "br");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"cards\":[]}");
            assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
            var sent = yoto.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().startsWith("/card/z")).findFirst()
                    .orElseThrow().getRequest();
            assertThat(sent.getHeader("Accept-Encoding")).doesNotContain("br");
        }

        @Test
        void hopByHopHeadersAndTheClientsCredentialsNeverReachYoto() throws Exception {
            loggedIn();
            yoto.stubFor(get(urlPathEqualTo("/card/family/library")).willReturn(aResponse().withStatus(200)
                    .withHeader("Connection", "X-Yoto-Hop").withHeader("X-Yoto-Hop", "dropped").withBody("[]")));

            RawHttp.Response response = RawHttp.send(httpPort(), "GET", "/api/yoto/card/family/library", null,
                    "Connection", "X-Client-Hop", "X-Client-Hop", "secret", "Keep-Alive", "timeout=5", "TE", "trailers",
                    "Proxy-Authorization", "Basic cHJveHk6cHJveHk=", "Cookie", "a=b", "Authorization", "Bearer mine",
                    "Upgrade", "websocket", "X-Forwarded-For", "203.0.113.9", "X-Kept", "yes");

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("[]");
            assertThat(response.header("X-Yoto-Hop")).isNull();
            var sent = yoto.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().startsWith("/card/")).findFirst()
                    .orElseThrow().getRequest();
            for (String header : List.of("X-Client-Hop", "Keep-Alive", "TE", "Proxy-Authorization", "Cookie", "Upgrade", "X-Forwarded-For")) {
                assertThat(sent.containsHeader(header)).as(header).isFalse();
            }
            assertThat(sent.getHeader("Authorization")).startsWith("Bearer at-");
            assertThat(sent.getHeader("X-Kept")).isEqualTo("yes");
            assertThat(sent.getHeader("Host")).isEqualTo(URI.create(yoto.baseUrl()).getAuthority());
        }

        @Test
        void repeated401sOnAFreshTokenRefreshNothingAndAnswer502() throws Exception {
            String access = loggedIn();
            yoto.stubFor(get(urlPathEqualTo("/me")).willReturn(aResponse().withStatus(401).withHeader("WWW-Authenticate", "Bearer")));
            int mark = CapturedLogs.mark();

            for (int i = 0; i < 5; i++) {
                HttpResponse<String> refused = send("GET", "/api/yoto/me", null);
                assertThat(refused.statusCode()).as("call %d", i).isEqualTo(502);
                JsonNode problem = json(refused);
                assertThat(problem.get("error").asText()).isEqualTo("yoto_rejected_token");
                assertThat(problem.get("message").asText()).contains("your API key is fine");
                assertThat(refused.headers().firstValue("WWW-Authenticate")).as(refused.headers().map().toString()).isEmpty();
            }

            yoto.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH))); // the start-up refresh only
            yoto.verify(5, getRequestedFor(urlEqualTo("/me")).withHeader("Authorization", equalTo("Bearer " + access))); // no retries
            assertThat(CapturedLogs.textSince(mark)).contains("API request: key=local route=proxy method=GET status=502 outcome=yoto_rejected_token");
            assertThat(send("GET", "/api/token", null).statusCode()).as("the token is still handed out").isEqualTo(200);
        }

        @Test
        void a401OnATokenAMinuteOldRefreshesOnceAndRetriesOnce() throws Exception {
            String old = loggedIn();
            yoto.resetAll();
            String fresh = Tokens.access();
            stubTokenAnswer(fresh, Tokens.refresh(), 3600);
            yoto.stubFor(get(urlPathEqualTo("/me")).withHeader("Authorization", equalTo("Bearer " + old)).willReturn(aResponse().withStatus(401)));
            yoto.stubFor(get(urlPathEqualTo("/me")).withHeader("Authorization", equalTo("Bearer " + fresh)).willReturn(aResponse()
                    .withStatus(200).withBody("{\"me\":1}")));
            clock.advance(Duration.ofSeconds(61));

            HttpResponse<String> response = send("GET", "/api/yoto/me?x=1", null);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"me\":1}");
            yoto.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
            yoto.verify(2, getRequestedFor(urlEqualTo("/me?x=1")));

            // still 401 with the token just refreshed: no refresh, no retry, a 502 that is not about the key
            yoto.stubFor(get(urlPathEqualTo("/me")).atPriority(1).willReturn(aResponse().withStatus(401)));
            stubTokenAnswer(Tokens.access(), Tokens.refresh(), 3600);
            HttpResponse<String> stillRefused = send("GET", "/api/yoto/me?x=1", null);
            assertThat(stillRefused.statusCode()).isEqualTo(502);
            assertThat(json(stillRefused).get("error").asText()).isEqualTo("yoto_rejected_token");
            yoto.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
            yoto.verify(3, getRequestedFor(urlEqualTo("/me?x=1")));

            // a minute later the same 401 is worth one refresh and one retry again, no more
            clock.advance(Duration.ofSeconds(61));
            assertThat(send("GET", "/api/yoto/me?x=1", null).statusCode()).isEqualTo(502);
            yoto.verify(2, postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
            yoto.verify(5, getRequestedFor(urlEqualTo("/me?x=1")));
        }

        @Test
        void pathsThatWouldLeaveTheApiAndOversizedBodiesAreRefused() throws Exception {
            loggedIn();
            yoto.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(200)));
            for (String path : List.of("/api/yoto/..%2Foauth/token", "/api/yoto/%2e%2e/oauth/token", "/api/yoto/a/..%5C..")) {
                RawHttp.Response refused = RawHttp.send(httpPort(), "GET", path, null);
                assertThat(refused.status()).as(path).isIn(400, 404);
                assertThat(refused.header("Content-Type")).as(path).startsWith("application/json");
            }
            HttpResponse<String> large = send("POST", "/api/yoto/content", "x".repeat(ProxyRules.MAX_REQUEST_BYTES + 1),
                    "Content-Type", "text/plain");
            assertThat(large.statusCode()).isEqualTo(413);
            assertThat(json(large).get("error").asText()).isEqualTo("payload_too_large");
            yoto.verify(0, anyRequestedFor(urlPathMatching("/(content|oauth/token|a).*")).withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.matching("Bearer .*")));
        }
    }

    @Nested
    class WithKeys extends ApiTestBase {

        @Override
        protected void keeperProperties(Properties properties) {
            super.keeperProperties(properties);
            properties.put("yoto.keeper.api-keys", "ha:" + HA_KEY + ":token, script:" + SCRIPT_KEY + ", nodered:" + PROXY_ONLY_KEY + ":proxy");
            properties.put("yoto.keeper.api-rate-limit-per-minute", "3");
            properties.put("yoto.keeper.password", PASSWORD);
        }

        /** The rate limit's monotonic time, moved by hand: no request's duration changes what the test sees. */
        final java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();

        @Override
        protected void keeperBeans(Registry registry) {
            super.keeperBeans(registry);
            registry.bind(KeeperAssembly.NANO_TIME, (java.util.function.LongSupplier) nanos::get);
        }

        private String[] bearer(String key) {
            return new String[] {"Authorization", "Bearer " + key};
        }

        @Test
        void onlyAValidKeyOpensTheApiAndEachKeyOnlyItsScope() throws Exception {
            String access = loggedIn();
            yoto.stubFor(get(urlPathEqualTo("/card/family/library")).willReturn(aResponse().withStatus(200).withBody("[]")));
            int mark = CapturedLogs.mark();

            HttpResponse<String> none = send("GET", "/api/token", null);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(json(none).get("error").asText()).isEqualTo("unauthorized");
            assertThat(send("GET", "/api/token", null, bearer(HA_KEY.replace('0', '1'))).statusCode()).as("a wrong key").isEqualTo(401);
            String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            assertThat(send("GET", "/api/token", null, "Authorization", basic).statusCode()).as("the page's password").isEqualTo(401);
            assertThat(send("GET", "/auth/status", null, bearer(HA_KEY)).statusCode()).as("a key does not open the page").isEqualTo(401);
            assertThat(send("GET", "/", null, bearer(SCRIPT_KEY)).statusCode()).isEqualTo(401);

            HttpResponse<String> token = send("GET", "/api/token", null, bearer(HA_KEY));
            assertThat(token.statusCode()).isEqualTo(200);
            assertThat(json(token).get("access_token").asText()).isEqualTo(access);
            HttpResponse<String> tokenOnlyOnProxy = send("GET", "/api/yoto/card/family/library", null, bearer(HA_KEY));
            assertThat(tokenOnlyOnProxy.statusCode()).isEqualTo(403);
            assertThat(json(tokenOnlyOnProxy).get("error").asText()).isEqualTo("scope_not_allowed");
            HttpResponse<String> proxyOnlyOnToken = send("GET", "/api/token", null, bearer(PROXY_ONLY_KEY));
            assertThat(proxyOnlyOnToken.statusCode()).isEqualTo(403);
            assertThat(proxyOnlyOnToken.body()).doesNotContain(access);
            assertThat(send("GET", "/api/yoto/card/family/library", null, bearer(PROXY_ONLY_KEY)).statusCode()).isEqualTo(200);
            assertThat(send("GET", "/api/yoto/card/family/library", null, bearer(SCRIPT_KEY)).statusCode()).isEqualTo(200);
            assertThat(send("GET", "/api/token", null, bearer(SCRIPT_KEY)).statusCode()).isEqualTo(200);
            yoto.verify(2, getRequestedFor(urlPathEqualTo("/card/family/library")));

            String log = CapturedLogs.textSince(mark);
            assertThat(log).contains("API request: key=unknown route=token method=GET status=401 outcome=unauthorized")
                    .contains("API request: key=ha route=token method=GET status=200 outcome=served")
                    .contains("API request: key=ha route=proxy method=GET status=403 outcome=forbidden")
                    .contains("API request: key=nodered route=proxy method=GET status=200 outcome=served")
                    .doesNotContain(Tokens.MARKER);

            HttpResponse<String> metrics = send("GET", "/metrics", null, "Authorization", basic);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).containsPattern("yoto_keeper_api_requests_total\\{key=\"ha\",outcome=\"served\",route=\"token\"} 1.0")
                    .containsPattern("yoto_keeper_api_requests_total\\{key=\"unknown\",outcome=\"unauthorized\",route=\"token\"} 3.0")
                    .doesNotContain(Tokens.MARKER);
        }

        @Test
        void theKeysNeverReachYotoThroughAPlaceholder() throws Exception {
            loggedIn();
            yoto.stubFor(any(urlPathMatching("/x.*")).willReturn(aResponse().withStatus(200).withBody("{}")));

            RawHttp.Response response = RawHttp.send(httpPort(), "GET", "/api/yoto/x?a={{yoto.keeper.api-keys}}&p={{yoto.keeper.password}}",
                    null, "Authorization", "Bearer " + PROXY_ONLY_KEY);

            assertThat(response.status()).isEqualTo(200);
            String url = yoto.getAllServeEvents().stream().map(e -> e.getRequest().getUrl()).filter(u -> u.startsWith("/x")).findFirst().orElseThrow();
            assertThat(url).isEqualTo("/x?a=%7B%7Byoto.keeper.api-keys%7D%7D&p=%7B%7Byoto.keeper.password%7D%7D")
                    .doesNotContain(Tokens.MARKER).doesNotContain("horse");
        }

        @Test
        void eachKeyHasItsRateLimitWithRetryAfter() throws Exception {
            loggedIn();
            for (int i = 0; i < 3; i++) {
                assertThat(send("GET", "/api/token", null, bearer(HA_KEY)).statusCode()).isEqualTo(200);
            }
            HttpResponse<String> limited = send("GET", "/api/token", null, bearer(HA_KEY));
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(json(limited).get("error").asText()).isEqualTo("rate_limited");
            assertThat(limited.headers().firstValue("Retry-After")).contains("20"); // 3 a minute: one every 20 s
            assertThat(send("GET", "/api/token", null, bearer(SCRIPT_KEY)).statusCode()).as("another key").isEqualTo(200);
            nanos.addAndGet(Duration.ofSeconds(19).toNanos());
            assertThat(send("GET", "/api/token", null, bearer(HA_KEY)).headers().firstValue("Retry-After")).contains("1");
            nanos.addAndGet(Duration.ofSeconds(1).toNanos());
            assertThat(send("GET", "/api/token", null, bearer(HA_KEY)).statusCode()).isEqualTo(200);
        }

        @Test
        void theWallClockSteppingBackDoesNotBlockAKey() throws Exception {
            loggedIn();
            for (int i = 0; i < 3; i++) {
                assertThat(send("GET", "/api/token", null, bearer(SCRIPT_KEY)).statusCode()).isEqualTo(200);
            }
            clock.advance(Duration.ofMinutes(-30)); // NTP, or a hand, sets the wall clock back
            nanos.addAndGet(Duration.ofSeconds(20).toNanos()); // while 20 s pass

            assertThat(send("GET", "/api/token", null, bearer(SCRIPT_KEY)).statusCode()).isEqualTo(200);
        }
    }

    @Nested
    class ReachableFromTheNetworkWithoutKeys extends ApiTestBase {

        @Override
        protected void keeperProperties(Properties properties) {
            super.keeperProperties(properties);
            properties.put("camel.server.host", "0.0.0.0");
            properties.put("yoto.keeper.password", PASSWORD);
        }

        @Test
        void theApiIsRefusedAndSaysHowToSetKeys() throws Exception {
            loggedIn();
            String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            for (String path : List.of("/api/token", "/api/yoto/card/family/library")) {
                HttpResponse<String> refused = send("GET", path, null, "Authorization", basic);
                assertKeysRequired(path, refused.statusCode(), refused.body());
            }
            yoto.verify(0, anyRequestedFor(urlPathMatching("/card/.*")));
        }
    }

    /** HOST=127.0.0.1 behind a local nginx or Caddy, with the page's password: the proxy would serve anyone. */
    @Nested
    class OnLoopbackWithAPasswordWithoutKeys extends ApiTestBase {

        @Override
        protected void keeperProperties(Properties properties) {
            super.keeperProperties(properties);
            properties.put("yoto.keeper.password", PASSWORD);
        }

        @Test
        void theApiIsRefusedAsThePasswordDoesNotOpenIt() throws Exception {
            loggedIn();
            String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            for (String path : List.of("/api/token", "/api/yoto/card/family/library")) {
                for (String[] headers : List.of(new String[0], new String[] {"Authorization", basic})) {
                    HttpResponse<String> refused = send("GET", path, null, headers);
                    assertKeysRequired(path, refused.statusCode(), refused.body(), "KEEPER_PASSWORD is set");
                }
            }
            yoto.verify(0, anyRequestedFor(urlPathMatching("/card/.*")));
        }
    }

    /** KEEPER_AUTH=none on the default HOST=0.0.0.0: the operator's proxy may not guard /api, the port is reachable. */
    @Nested
    class BehindTheOperatorsProxyWithoutKeys extends ApiTestBase {

        @Override
        protected void keeperProperties(Properties properties) {
            super.keeperProperties(properties);
            properties.put("camel.server.host", "0.0.0.0");
            properties.put("yoto.keeper.auth", "none");
        }

        @Test
        void theApiIsRefusedEvenUnderALoopbackName() throws Exception {
            loggedIn();
            for (String path : List.of("/api/token", "/api/yoto/card/family/library")) {
                RawHttp.Response refused = RawHttp.send(httpPort(), "GET", path, null, "Host", "localhost:" + httpPort());
                assertKeysRequired(path, refused.status(), refused.body(), "KEEPER_AUTH=none");
            }
            assertThat(send("GET", "/auth/status", null).statusCode()).as("the page stays open, as configured").isEqualTo(200);
            yoto.verify(0, anyRequestedFor(urlPathMatching("/card/.*")));
        }
    }

    @Nested
    class AccessTokenFileForPrograms extends ApiTestBase {

        Path accessTokenFile() {
            return tempDir().resolve("shared").resolve("yoto_access_token.json");
        }

        @Override
        protected void keeperProperties(Properties properties) {
            super.keeperProperties(properties);
            properties.put("yoto.keeper.access-token-file", accessTokenFile().toString());
        }

        @Test
        void everyNewAccessTokenIsWrittenOwnerOnlyAndALogoutRemovesIt() throws Exception {
            String access = loggedIn();
            JsonNode written = JSON.readTree(Files.readString(accessTokenFile()));
            assertThat(written.get("access_token").asText()).isEqualTo(access);
            assertThat(Instant.parse(written.get("expires_at").asText())).isEqualTo(status().accessTokenExpiresAt());
            assertThat(written.has("refresh_token")).isFalse();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(accessTokenFile()))).isEqualTo("rw-------");

            String next = Tokens.access();
            stubTokenAnswer(next, Tokens.refresh(), 3600);
            refreshNow();
            assertThat(JSON.readTree(Files.readString(accessTokenFile())).get("access_token").asText()).isEqualTo(next);

            assertThat(send("POST", "/auth/logout", null).statusCode()).isEqualTo(200);
            assertThat(Files.exists(accessTokenFile())).isFalse();
        }

        @Test
        void aLoginYotoRefusesRemovesTheFile() throws Exception {
            loggedIn();
            assertThat(Files.exists(accessTokenFile())).isTrue();

            stubTokenError(400, "invalid_grant");
            refreshNow();

            assertThat(status().state()).isEqualTo(io.github.yototokenkeeper.token.SessionState.REAUTH_REQUIRED);
            assertThat(Files.exists(accessTokenFile())).isFalse();
        }

        @Test
        void aFileOfAnEarlierRunIsRemovedWhenTheKeeperStartsLoggedOut() throws Exception {
            Files.createDirectories(accessTokenFile().getParent());
            Files.writeString(accessTokenFile(), "{\"access_token\":\"" + Tokens.access() + "\",\"expires_at\":\"2099-01-01T00:00:00Z\"}");

            startKeeper(); // no refresh token: logged out

            assertThat(Files.exists(accessTokenFile())).isFalse();
        }
    }
}
