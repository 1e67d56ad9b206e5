package io.github.yototokenkeeper.web;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.yototokenkeeper.support.CapturedLogs;
import io.github.yototokenkeeper.support.KeeperMainTestSupport;
import io.github.yototokenkeeper.support.RawHttp;
import io.github.yototokenkeeper.support.Tokens;
import io.github.yototokenkeeper.token.TokenHealthCheck;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every HTTP route over real HTTP against the running platform-http server. */
class WebApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return JSON.readTree(response.body());
    }

    @Nested
    class WithoutPassword extends KeeperMainTestSupport {

        @Test
        void statusHasTheDocumentedShapeAndNoToken() throws Exception {
            String refresh = Tokens.refresh();
            String access = Tokens.access();
            writeTokenFile(refresh);
            stubTokenAnswer(access, Tokens.refresh(), 3600);
            startKeeper();

            HttpResponse<String> response = http("GET", "/auth/status");

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode status = json(response);
            assertThat(status.fieldNames()).toIterable().containsExactly("state", "login", "access_token_expires_at",
                    "last_refresh_at", "next_refresh_at", "consecutive_failures", "last_error", "login_flows", "redirect_uri");
            assertThat(status.get("state").asText()).isEqualTo("authenticated");
            assertThat(status.get("login").isNull()).isTrue();
            assertThat(status.get("access_token_expires_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(status.get("consecutive_failures").asInt()).isZero();
            assertThat(response.body()).doesNotContain(Tokens.MARKER);
            assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        }

        @Test
        void thePageIsServedWithAStrictContentSecurityPolicy() {
            startKeeper();
            HttpResponse<String> response = http("GET", "/");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
            assertThat(response.body()).contains("Sign in with Yoto").contains("<form method=\"post\" action=\"/auth/device/start\">");
            String csp = response.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertThat(csp).contains("frame-ancestors 'none'").contains("script-src 'nonce-")
                    .contains("form-action 'self' https://login.yotoplay.com http://127.0.0.1:" + httpPort() + ";"); // on to Yoto, and back
            String nonce = csp.replaceAll(".*script-src 'nonce-([^']+)'.*", "$1");
            assertThat(response.body()).contains("<script nonce=\"" + nonce + "\">");
            assertThat(http("GET", "/?part=main").body()).startsWith("<div data-state=\"logged_out\">");
        }

        @Test
        void refreshIs409WhenLoggedOutAndAnswersTheStatusOtherwise() throws Exception {
            startKeeper();
            HttpResponse<String> loggedOut = http("POST", "/auth/refresh");
            assertThat(loggedOut.statusCode()).isEqualTo(409);
            assertThat(json(loggedOut).get("error").asText()).isEqualTo("logged_out");

            writeTokenFile(Tokens.refresh());
            String rotated = Tokens.refresh();
            stubTokenAnswer(Tokens.access(), rotated, 3600);
            refreshNow(); // what the next tick would do: the keeper notices the file
            yoto.resetAll();
            String rotatedAgain = Tokens.refresh();
            stubTokenAnswer(Tokens.access(), rotatedAgain, 3600);

            HttpResponse<String> refreshed = http("POST", "/auth/refresh");

            assertThat(refreshed.statusCode()).isEqualTo(200);
            assertThat(json(refreshed).get("state").asText()).isEqualTo("authenticated");
            yoto.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
            assertThat(tokenFileContent().strip()).isEqualTo(rotatedAgain);
        }

        @Test
        void logoutDeletesTheFileAndALoginAfterItWorks() throws Exception {
            writeTokenFile(Tokens.refresh());
            stubTokenAnswer(Tokens.access(), Tokens.refresh(), 3600);
            startKeeper();
            assertThat(Files.exists(tokenFile())).isTrue();

            HttpResponse<String> response = http("POST", "/auth/logout");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(json(response).get("state").asText()).isEqualTo("logged_out");
            assertThat(Files.exists(tokenFile())).isFalse();

            String fresh = Tokens.refresh();
            yoto.stubFor(post(urlPathEqualTo("/oauth/device/code")).willReturn(okJson("{\"device_code\":\"dc-" + Tokens.MARKER
                    + "\",\"user_code\":\"AAAA-BBBB\",\"verification_uri\":\"https://login.example/activate\",\"expires_in\":600,\"interval\":1}")));
            yoto.stubFor(tokenEndpoint().willReturn(okJson(tokenJson(Tokens.access(), fresh, 3600))));
            org.apache.camel.builder.NotifyBuilder loggedIn = new org.apache.camel.builder.NotifyBuilder(context)
                    .fromRoute("yoto-keeper-login-poll").whenDone(1).create();
            assertThat(http("POST", "/auth/device/start").statusCode()).isEqualTo(200);
            assertThat(loggedIn.matches(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(tokenFileContent().strip()).isEqualTo(fresh);
            assertThat(json(http("GET", "/auth/status")).get("state").asText()).isEqualTo("authenticated");
        }

        @Test
        void aPlainFormPostGoesBackToThePage() {
            startKeeper();
            HttpResponse<String> response = http("POST", "/auth/logout", "Accept", "text/html,application/xhtml+xml",
                    "Origin", "http://127.0.0.1:" + httpPort());
            assertThat(response.statusCode()).isEqualTo(303);
            assertThat(response.headers().firstValue("Location")).contains("/");
        }

        @Test
        void crossSitePostsAreRefusedAndChangeNothing() throws Exception {
            writeTokenFile(Tokens.refresh());
            stubTokenAnswer(Tokens.access(), Tokens.refresh(), 3600);
            startKeeper();

            HttpResponse<String> fetchSite = http("POST", "/auth/logout", "Sec-Fetch-Site", "cross-site");
            HttpResponse<String> origin = http("POST", "/auth/device/start", "Origin", "https://evil.example");
            HttpResponse<String> smuggled = http("POST", "/auth/logout?Sec-Fetch-Site=same-origin", "Origin", "https://evil.example");

            assertThat(fetchSite.statusCode()).isEqualTo(403);
            assertThat(origin.statusCode()).isEqualTo(403);
            assertThat(smuggled.statusCode()).isEqualTo(403);
            assertThat(json(fetchSite).get("error").asText()).isEqualTo("cross_site_request");
            assertThat(Files.exists(tokenFile())).isTrue();
            yoto.verify(0, postRequestedFor(urlPathEqualTo("/oauth/device/code")));
        }

        @Test
        void unknownPathsAre404AndWrongMethods405AsJson() throws Exception {
            startKeeper();
            HttpResponse<String> missing = http("GET", "/auth/tokens");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(json(missing).get("error").asText()).isEqualTo("not_found");

            HttpResponse<String> wrongMethod = http("DELETE", "/auth/status");
            assertThat(wrongMethod.statusCode()).isEqualTo(405);
            assertThat(wrongMethod.headers().firstValue("Allow")).contains("GET");
            assertThat(json(wrongMethod).get("error").asText()).isEqualTo("method_not_allowed");

            assertThat(http("GET", "/auth/logout").statusCode()).isEqualTo(405);
            assertThat(http("POST", "/health").statusCode()).isEqualTo(405);
            assertThat(http("PUT", "/").statusCode()).isEqualTo(405);
        }

        @Test
        void answersNeverEchoTheRequestsHeaders() {
            startKeeper();
            String[] sent = {"X-Echo-Probe", "probe-value", "Cookie", "probe=cookie-value", "Authorization", "Bearer probe-credential"};

            for (HttpResponse<String> answer : List.of(http("GET", "/auth/status", sent), http("POST", "/auth/refresh", sent),
                    http("DELETE", "/auth/status", sent), http("GET", "/health", sent))) {
                assertThat(answer.headers().map().keySet()).as("headers of the %d answer", answer.statusCode())
                        .noneMatch(name -> name.equalsIgnoreCase("X-Echo-Probe") || name.equalsIgnoreCase("Cookie")
                                || name.equalsIgnoreCase("Authorization"));
                assertThat(answer.headers().map().toString()).doesNotContain("probe-value", "cookie-value", "probe-credential");
            }
        }

        @Test
        void oversizedBodiesAreRefused() throws Exception {
            startKeeper();
            java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + httpPort() + "/auth/refresh"))
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("x".repeat(20_000))).build();
            HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(json(response).get("error").asText()).isEqualTo("payload_too_large");
        }

        @Test
        void theTokenHealthCheckGoesDownWhenReloginIsNeeded() throws Exception {
            writeTokenFile(Tokens.refresh());
            stubTokenError(400, "invalid_grant");
            startKeeper();
            var result = HealthCheckHelper.invoke(context).stream()
                    .filter(r -> r.getCheck().getId().equals(TokenHealthCheck.ID)).findFirst().orElseThrow();
            assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(result.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("re-login needed"));
            assertThat(http("GET", "/health").statusCode()).as("the service itself is still up").isEqualTo(200);
        }

        @Test
        void aPageOfAnotherSiteThatRebindsItsNameToTheKeeperGetsNothing() throws Exception {
            writeTokenFile(Tokens.refresh());
            stubTokenAnswer(Tokens.access(), Tokens.refresh(), 3600);
            startKeeper();
            String evil = "evil.test:" + httpPort();

            RawHttp.Response logout = RawHttp.send(httpPort(), "POST", "/auth/logout", new byte[0], "Host", evil,
                    "Origin", "http://" + evil, "Sec-Fetch-Site", "same-origin");
            RawHttp.Response status = RawHttp.send(httpPort(), "GET", "/auth/status", null, "Host", evil);
            RawHttp.Response page = RawHttp.send(httpPort(), "GET", "/", null, "Host", evil);

            assertThat(logout.status()).isEqualTo(421);
            assertThat(JSON.readTree(logout.body()).get("error").asText()).isEqualTo("unknown_host");
            assertThat(logout.body()).contains("KEEPER_ALLOWED_HOSTS");
            assertThat(status.status()).isEqualTo(421);
            assertThat(status.body()).doesNotContain("authenticated");
            assertThat(page.status()).isEqualTo(421);
            assertThat(Files.exists(tokenFile())).as("not logged out").isTrue();
            assertThat(RawHttp.send(httpPort(), "GET", "/auth/status", null, "Host", "localhost:" + httpPort()).status()).isEqualTo(200);
            assertThat(RawHttp.send(httpPort(), "GET", "/health", null, "Host", "healthcheck.railway.app").status())
                    .as("the health check answers under any name").isEqualTo(200);
        }

        @Test
        void formBodiesAreRefusedAsJsonWithoutBeingReadAndWithoutAStackTrace() throws Exception {
            writeTokenFile(Tokens.refresh());
            stubTokenAnswer(Tokens.access(), Tokens.refresh(), 3600);
            startKeeper();
            int mark = CapturedLogs.mark();

            for (int size : new int[] {5_000, 200_000}) {
                byte[] form = ("a=" + "x".repeat(size)).getBytes(StandardCharsets.US_ASCII);
                RawHttp.Response response = RawHttp.send(httpPort(), "POST", "/auth/logout", form,
                        "Content-Type", "application/x-www-form-urlencoded");
                assertThat(response.status()).as(size + " bytes").isEqualTo(413);
                assertThat(response.header("Content-Type")).startsWith("application/json");
                assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo("payload_too_large");
            }

            assertThat(Files.exists(tokenFile())).as("not logged out").isTrue();
            assertThat(CapturedLogs.since(mark)).noneMatch(line -> line.level().equals("ERROR") || line.text().contains("\tat "));
            assertThat(http("POST", "/auth/logout").statusCode()).as("the next request is served").isEqualTo(200);
        }

        @Test
        void whatAServerSaysIsEscapedOnThePage() throws Exception {
            writeTokenFile(Tokens.refresh());
            yoto.stubFor(tokenEndpoint().willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"error\":\"invalid_grant\",\"error_description\":\"<script>alert(1)</script> & \\\"quotes\\\"\"}")));
            startKeeper();

            String main = http("GET", "/?part=main").body();

            assertThat(main).startsWith("<div data-state=\"reauth_required\">")
                    .contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"quotes\"").doesNotContain("<script>");
        }

        @Test
        void malformedRequestsAre400AsJsonWithoutAStackTrace() throws Exception {
            startKeeper();
            int mark = CapturedLogs.mark();

            for (String path : new String[] {"/%zz", "/auth/status?%zz=1", "/auth/status?a=%"}) {
                RawHttp.Response response = RawHttp.send(httpPort(), "GET", path, null);
                assertThat(response.status()).as(path).isEqualTo(400);
                assertThat(response.header("Content-Type")).startsWith("application/json");
                assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo("bad_request");
            }

            assertThat(CapturedLogs.since(mark)).noneMatch(line -> line.level().equals("ERROR") || line.text().contains("\tat "));
        }

        @Test
        void aStartLogsThatThePageIsOpenOnlyWhenReachableFromTheNetwork() {
            int mark = CapturedLogs.mark();
            startKeeper();
            assertThat(CapturedLogs.textSince(mark)).doesNotContain("KEEPER_PASSWORD is not set"); // bound to 127.0.0.1
        }
    }

    @Nested
    class WithoutClientId extends KeeperMainTestSupport {

        @Override
        protected void keeperProperties(Properties properties) {
            properties.remove("yoto.keeper.client-id");
        }

        @Test
        void startingALoginIs503AndThePageSaysWhatIsMissing() throws Exception {
            startKeeper();
            HttpResponse<String> response = http("POST", "/auth/device/start");
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(json(response).get("message").asText()).contains("YOTO_CLIENT_ID is not set");
            assertThat(http("GET", "/").body()).contains("YOTO_CLIENT_ID is not set");
        }
    }

    /** Reachable from the network, no password, no KEEPER_AUTH=none: safe by default. */
    @Nested
    class LockedOnTheNetwork extends KeeperMainTestSupport {

        @Override
        protected void keeperProperties(Properties properties) {
            properties.remove("yoto.keeper.client-id");
            properties.put("camel.server.host", "0.0.0.0");
        }

        @Test
        void everyRouteButHealthRefusesAndThePageSaysHowToSetAPassword() throws Exception {
            writeTokenFile(Tokens.refresh());
            int mark = CapturedLogs.mark();
            startKeeper();

            for (String[] route : new String[][] {{"GET", "/auth/status"}, {"POST", "/auth/device/start"}, {"POST", "/auth/refresh"},
                    {"POST", "/auth/logout"}, {"GET", "/metrics"}}) {
                HttpResponse<String> response = http(route[0], route[1]);
                assertThat(response.statusCode()).as(route[1]).isEqualTo(403);
                JsonNode problem = json(response);
                assertThat(problem.get("error").asText()).isEqualTo("password_required");
                assertThat(problem.get("message").asText()).contains("KEEPER_PASSWORD");
            }
            HttpResponse<String> page = http("GET", "/");
            assertThat(page.statusCode()).isEqualTo(403);
            assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
            assertThat(page.body()).contains("KEEPER_PASSWORD").contains("HOST=127.0.0.1").contains("KEEPER_AUTH=none")
                    .contains("YOTO_CLIENT_ID is not set").doesNotContain("<form").doesNotContain("logged_out");
            assertThat(http("GET", "/?part=main").body()).startsWith("<div data-state=\"locked\">");
            assertThat(http("GET", "/health").statusCode()).isEqualTo(200);
            assertThat(Files.exists(tokenFile())).as("the logout was refused").isTrue();
            assertThat(CapturedLogs.textSince(mark)).contains("KEEPER_PASSWORD is not set and the web page listens on 0.0.0.0");
        }
    }

    /** KEEPER_AUTH=none: the operator's own proxy asks for the password; the keeper still checks the host name. */
    @Nested
    class BehindTheOperatorsProxy extends KeeperMainTestSupport {

        @Override
        protected void keeperProperties(Properties properties) {
            properties.put("camel.server.host", "0.0.0.0");
            properties.put("KEEPER_AUTH", "none");
            properties.put("KEEPER_ALLOWED_HOSTS", "keeper.home.example, nas.local");
        }

        @Test
        void theKeeperAnswersUnderItsListedNamesOnlyAndWarnsAtStart() {
            int mark = CapturedLogs.mark();
            startKeeper();
            assertThat(RawHttp.send(httpPort(), "GET", "/auth/status", null, "Host", "keeper.home.example").status()).isEqualTo(200);
            assertThat(RawHttp.send(httpPort(), "GET", "/auth/status", null, "Host", "nas.local:" + httpPort()).status()).isEqualTo(200);
            assertThat(RawHttp.send(httpPort(), "GET", "/auth/status", null, "Host", "evil.test").status()).isEqualTo(421);
            assertThat(CapturedLogs.since(mark)).anySatisfy(line -> {
                assertThat(line.level()).isEqualTo("WARN");
                assertThat(line.text()).contains("KEEPER_AUTH=none: the keeper asks no password");
            });
        }
    }

    @Nested
    class WithPassword extends KeeperMainTestSupport {

        static final String PASSWORD = "pw-" + Tokens.MARKER;

        @Override
        protected void keeperProperties(Properties properties) {
            properties.put("KEEPER_PASSWORD", PASSWORD);
        }

        private String basic(String user, String password) {
            return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        }

        @Test
        void everyRouteButHealthNeedsThePassword() throws Exception {
            startKeeper();
            for (String[] route : new String[][] {{"GET", "/"}, {"GET", "/auth/status"}, {"POST", "/auth/device/start"},
                    {"POST", "/auth/refresh"}, {"POST", "/auth/logout"}}) {
                HttpResponse<String> anonymous = http(route[0], route[1]);
                assertThat(anonymous.statusCode()).as(route[1]).isEqualTo(401);
                assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
                assertThat(http(route[0], route[1], "Authorization", basic("admin", "wrong")).statusCode()).as(route[1]).isEqualTo(401);
            }
            assertThat(http("GET", "/health").statusCode()).isEqualTo(200);
            assertThat(http("GET", "/auth/status", "Authorization", basic("admin", PASSWORD)).statusCode()).isEqualTo(200);
            assertThat(http("GET", "/", "Authorization", basic("admin", PASSWORD)).statusCode()).isEqualTo(200);
            assertThat(http("POST", "/auth/logout", "Authorization", basic("admin", PASSWORD)).statusCode()).isEqualTo(200);
        }

        @Test
        void repeatedWrongPasswordsLockTheAddressOutForAMinuteButNotTheHealthCheck() throws Exception {
            startKeeper();
            int mark = CapturedLogs.mark();
            for (int i = 0; i < PasswordAttempts.MAX_FAILURES; i++) {
                assertThat(http("GET", "/auth/status", "Authorization", basic("admin", "guess-" + i)).statusCode()).isEqualTo(401);
            }

            HttpResponse<String> locked = http("GET", "/auth/status", "Authorization", basic("admin", PASSWORD));

            assertThat(locked.statusCode()).isEqualTo(429);
            assertThat(json(locked).get("error").asText()).isEqualTo("too_many_attempts");
            assertThat(locked.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(1, 60));
            assertThat(http("GET", "/health").statusCode()).isEqualTo(200);
            assertThat(CapturedLogs.since(mark)).filteredOn(line -> line.text().contains("wrong passwords from")).singleElement()
                    .satisfies(line -> assertThat(line.text()).contains("127.0.0.1").doesNotContain("guess"));
        }

        @Test
        void anUnauthenticatedLargeFormPostIs401WithoutBeingRead() throws Exception {
            startKeeper();
            int mark = CapturedLogs.mark();
            byte[] form = ("a=" + "x".repeat(200_000)).getBytes(StandardCharsets.US_ASCII);

            RawHttp.Response response = RawHttp.send(httpPort(), "POST", "/auth/logout", form,
                    "Content-Type", "application/x-www-form-urlencoded");

            assertThat(response.status()).isEqualTo(401);
            assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo("unauthorized");
            assertThat(CapturedLogs.since(mark)).noneMatch(line -> line.level().equals("ERROR") || line.text().contains("\tat "));
        }

        @Test
        void theRightPasswordFromAnotherSiteIsStillRefused() {
            startKeeper();
            assertThat(http("POST", "/auth/logout", "Authorization", basic("admin", PASSWORD), "Sec-Fetch-Site", "cross-site")
                    .statusCode()).isEqualTo(403);
        }
    }
}
