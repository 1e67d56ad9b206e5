package io.github.yototokenkeeper.login;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.yototokenkeeper.embed.KeeperAssembly;
import io.github.yototokenkeeper.oauth.Pkce;
import io.github.yototokenkeeper.support.CapturedLogs;
import io.github.yototokenkeeper.support.HandClock;
import io.github.yototokenkeeper.support.KeeperMainTestSupport;
import io.github.yototokenkeeper.support.RawHttp;
import io.github.yototokenkeeper.support.Tokens;
import io.github.yototokenkeeper.token.SessionState;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hc.core5.http.NameValuePair;
import org.apache.hc.core5.net.WWWFormCodec;
import org.junit.jupiter.api.Test;

/**
 * The browser sign-in (Authorization Code + PKCE) over real HTTP, WireMock as Yoto's token endpoint: the start sends the
 * browser to Yoto with a fresh state and an S256 challenge; the callback exchanges the code with the verifier and saves
 * the login. Every way it can go wrong answers a page that says so, saves nothing and keeps the login there was.
 */
class BrowserLoginTest extends KeeperMainTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CODE = "code-" + Tokens.MARKER;
    private final HandClock clock = new HandClock(Instant.parse("2026-12-01T08:00:00Z"));
    private final String oldRefreshToken = Tokens.refresh();

    @Override
    protected void keeperBeans(org.apache.camel.spi.Registry registry) {
        registry.bind(KeeperAssembly.CLOCK, clock);
    }

    /** A started sign-in as the browser holds it: the address Yoto gets, its query, and the cookie. */
    private record SignIn(URI authorize, Map<String, String> query, String cookie) {
        String state() {
            return query.get("state");
        }
    }

    private SignIn start() {
        HttpResponse<String> response = http("POST", "/auth/browser/start", "Accept", "text/html");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(303);
        URI authorize = URI.create(response.headers().firstValue("Location").orElseThrow());
        Map<String, String> query = new HashMap<>();
        for (NameValuePair pair : WWWFormCodec.parse(authorize.getRawQuery(), StandardCharsets.UTF_8)) {
            query.put(pair.getName(), pair.getValue());
        }
        String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        return new SignIn(authorize, query, setCookie.substring(0, setCookie.indexOf(';')));
    }

    private HttpResponse<String> callback(String query, String cookie) {
        return cookie == null ? http("GET", "/auth/callback" + query) : http("GET", "/auth/callback" + query, "Cookie", cookie);
    }

    private static String codeAndState(String code, String state) {
        return "?code=" + URLEncoder.encode(code, StandardCharsets.UTF_8) + "&state=" + state;
    }

    private static void stubCodeExchange(ResponseDefinitionBuilder answer) {
        yoto.stubFor(tokenEndpoint().withRequestBody(containing("grant_type=authorization_code")).atPriority(1).willReturn(answer));
    }

    private List<LoggedRequest> codeExchanges() {
        return yoto.findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH)).withRequestBody(containing("grant_type=authorization_code")));
    }

    private static Map<String, String> form(LoggedRequest request) {
        Map<String, String> form = new HashMap<>();
        WWWFormCodec.parse(request.getBodyAsString(), StandardCharsets.UTF_8).forEach(pair -> form.put(pair.getName(), pair.getValue()));
        return form;
    }

    /** Already connected with {@link #oldRefreshToken}: a failed sign-in must keep it. */
    private void startConnected() throws Exception {
        writeTokenFile(oldRefreshToken);
        yoto.stubFor(tokenEndpoint().withRequestBody(containing("grant_type=refresh_token")).atPriority(5)
                .willReturn(okJson(tokenJson(Tokens.access(), oldRefreshToken, 86_400))));
        startKeeper();
        assertThat(status().state()).isEqualTo(SessionState.AUTHENTICATED);
    }

    /** A page that says {@code says}; this browser's sign-in over (its cookie spent) only when the callback was its own. */
    private void assertNothingSaved(HttpResponse<String> page, int status, String says) throws Exception {
        assertNothingSaved(page, status, says, true);
    }

    private void assertNothingSaved(HttpResponse<String> page, int status, String says, boolean ownSignIn) throws Exception {
        assertThat(page.statusCode()).as(page.body()).isEqualTo(status);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("Sign-in did not complete").contains(says).contains("saved nothing")
                .doesNotContain(Tokens.MARKER).doesNotContain("Access token valid until");
        if (ownSignIn) {
            assertThat(page.headers().firstValue("Set-Cookie").orElse("")).as("the cookie is spent").contains("Max-Age=0");
        } else {
            assertThat(page.headers().firstValue("Set-Cookie")).as("someone else's link leaves this browser's sign-in be").isEmpty();
        }
        assertThat(tokenFileContent().strip()).isEqualTo(oldRefreshToken);
        assertThat(status().state()).isEqualTo(SessionState.AUTHENTICATED);
    }

    @Test
    void theStartSendsTheBrowserToYotoWithAFreshStateAndAnS256Challenge() throws Exception {
        startKeeper();
        SignIn first = start();
        SignIn second = start();

        assertThat(first.authorize().getScheme() + "://" + first.authorize().getAuthority() + first.authorize().getPath())
                .isEqualTo("https://login.yotoplay.com/authorize");
        assertThat(first.query()).containsEntry("response_type", "code").containsEntry("client_id", CLIENT_ID)
                .containsEntry("redirect_uri", "http://127.0.0.1:" + httpPort() + "/auth/callback")
                .containsEntry("scope", "profile offline_access").containsEntry("audience", "https://api.yotoplay.com")
                .containsEntry("code_challenge_method", "S256");
        assertThat(first.state()).matches("[A-Za-z0-9_-]{43}"); // 256 random bits
        assertThat(first.query().get("code_challenge")).matches("[A-Za-z0-9_-]{43}");
        assertThat(second.state()).isNotEqualTo(first.state());
        assertThat(second.query().get("code_challenge")).isNotEqualTo(first.query().get("code_challenge"));
        assertThat(second.cookie()).isNotEqualTo(first.cookie());

        HttpResponse<String> response = http("POST", "/auth/browser/start", "Accept", "application/json");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Set-Cookie").orElseThrow())
                .startsWith("yoto_keeper_sign_in=").contains("; Path=/", "; Max-Age=600", "; HttpOnly", "; SameSite=Lax")
                .doesNotContain("Secure"); // the callback is plain http here
        JsonNode json = JSON.readTree(response.body());
        assertThat(json.get("authorize_url").asText()).startsWith("https://login.yotoplay.com/authorize?response_type=code&");
        assertThat(json.get("redirect_uri").asText()).isEqualTo("http://127.0.0.1:" + httpPort() + "/auth/callback");
        assertThat(json.get("expires_in").asLong()).isEqualTo(600);
        assertThat(codeExchanges()).isEmpty();
    }

    @Test
    void theCallbackExchangesTheCodeWithTheVerifierAndTheLoginIsKept() throws Exception {
        startKeeper();
        assertThat(status().state()).isEqualTo(SessionState.LOGGED_OUT);
        yoto.stubFor(post(urlPathEqualTo("/oauth/device/code")).willReturn(okJson("{\"device_code\":\"dc-" + Tokens.MARKER
                + "\",\"user_code\":\"KDJS-HFPQ\",\"verification_uri\":\"https://login.example/activate\",\"expires_in\":900}")));
        yoto.stubFor(tokenEndpoint().withRequestBody(containing("device_code")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"authorization_pending\"}")));
        assertThat(http("POST", "/auth/device/start").statusCode()).isEqualTo(200); // a code login waits, then the parent signs in
        String refreshToken = Tokens.refresh();
        stubCodeExchange(okJson(tokenJson(Tokens.access(), refreshToken, 86_400)));
        int logs = CapturedLogs.mark();
        SignIn signIn = start();

        HttpResponse<String> response = callback(codeAndState(CODE, signIn.state()), signIn.cookie());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).hasValue("/");
        assertThat(response.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("yoto_keeper_sign_in=;").contains("Max-Age=0");
        assertThat(tokenFileContent().strip()).isEqualTo(refreshToken);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile()))).isEqualTo("rw-------");
        assertThat(status().state()).isEqualTo(SessionState.AUTHENTICATED);
        assertThat(JSON.readTree(http("GET", "/auth/status").body()).get("login").isNull()).as("the code login was cancelled").isTrue();
        assertThat(http("GET", "/").body()).contains("<h2>Connected</h2>");

        List<LoggedRequest> exchanges = codeExchanges();
        assertThat(exchanges).hasSize(1);
        Map<String, String> form = form(exchanges.get(0));
        assertThat(form).containsEntry("grant_type", "authorization_code").containsEntry("code", CODE)
                .containsEntry("redirect_uri", signIn.query().get("redirect_uri")).containsEntry("client_id", CLIENT_ID);
        assertThat(Pkce.challengeOf(form.get("code_verifier"))).as("the verifier of the challenge sent to Yoto")
                .isEqualTo(signIn.query().get("code_challenge"));
        assertThat(exchanges.get(0).containsHeader("Cookie")).as("the browser's cookie stays with the keeper").isFalse();
        String logged = CapturedLogs.textSince(logs);
        assertThat(logged).contains("Browser sign-in approved").doesNotContain(signIn.state()).doesNotContain(form.get("code_verifier"))
                .doesNotContain(signIn.cookie().substring(signIn.cookie().indexOf('=') + 1)).doesNotContain(Tokens.MARKER);
    }

    @Test
    void aDeclinedSignInSaysSoEscapedAndKeepsTheLogin() throws Exception {
        startConnected();
        SignIn signIn = start();

        HttpResponse<String> page = callback("?error=access_denied&error_description=" + URLEncoder.encode("<script>alert(1)</script> no",
                StandardCharsets.UTF_8) + "&state=" + signIn.state(), signIn.cookie());

        assertNothingSaved(page, 400, "declined at Yoto");
        assertThat(page.body()).contains("&lt;script&gt;alert(1)&lt;/script&gt; no").doesNotContain("<script>alert(1)");
        assertThat(callback(codeAndState(CODE, signIn.state()), signIn.cookie()).body()).as("the state was spent").contains("already been used");
        SignIn other = start();
        assertNothingSaved(callback("?error=server_error&error_description=down&state=" + other.state(), other.cookie()), 400,
                "ended the sign-in: server_error: down");
        assertThat(codeExchanges()).isEmpty();
    }

    /** Anyone can make a link to the callback: without a sign-in of this browser's, it shows none of the link's text. */
    @Test
    void aLinkAnyoneCanMakeShowsNoTextOfTheirsAndSpendsNobodysSignIn() throws Exception {
        startConnected();
        stubCodeExchange(okJson(tokenJson(Tokens.access(), Tokens.refresh(), 86_400)));
        SignIn mine = start();

        HttpResponse<String> noState = callback("?error=access_denied&error_description=Call+0800+to+unlock+your+Yoto", mine.cookie());
        HttpResponse<String> madeUpState = callback("?error=x&error_description=Call+0800&state=made-up", mine.cookie());
        HttpResponse<String> myStateNoCookie = callback("?error=access_denied&error_description=Call+0800&state=" + mine.state(), null);

        assertNothingSaved(noState, 400, "has no state", false);
        assertNothingSaved(madeUpState, 400, "not started by this keeper", false);
        assertNothingSaved(myStateNoCookie, 400, "cookie is missing", false);
        for (HttpResponse<String> page : List.of(noState, madeUpState, myStateNoCookie)) {
            assertThat(page.body()).doesNotContain("0800").doesNotContain("declined");
        }
        HttpResponse<String> mineStillWorks = callback(codeAndState(CODE, mine.state()), mine.cookie());
        assertThat(mineStillWorks.statusCode()).as(mineStillWorks.body()).isEqualTo(303);
    }

    @Test
    void aMissingUnknownExpiredOrReplayedStateSavesNothing() throws Exception {
        startConnected();
        stubCodeExchange(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"invalid_grant\",\"error_description\":\"Invalid authorization code\"}"));

        assertNothingSaved(callback("?code=" + CODE, null), 400, "has no state", false);
        SignIn signIn = start();
        assertNothingSaved(callback(codeAndState(CODE, "x" + signIn.state()), signIn.cookie()), 400, "not started by this keeper", false);

        SignIn late = start();
        clock.advance(Duration.ofMinutes(10));
        assertNothingSaved(callback(codeAndState(CODE, late.state()), late.cookie()), 400, "longer than 10 minutes");

        SignIn once = start();
        assertNothingSaved(callback(codeAndState(CODE, once.state()), once.cookie()), 400, "refused the sign-in code (invalid_grant");
        assertNothingSaved(callback(codeAndState(CODE, once.state()), once.cookie()), 400, "already been used");
        assertThat(codeExchanges()).as("only the one claimed in time was sent").hasSize(1);
        assertNothingSaved(callback(codeAndState(CODE, once.state()) + "&state=" + once.state(), once.cookie()), 400, "state twice", false);
    }

    @Test
    void atMostSixteenSignInsWaitAndTheOldestGivesWay() throws Exception {
        startConnected();
        stubCodeExchange(okJson(tokenJson(Tokens.access(), Tokens.refresh(), 86_400)));
        List<SignIn> signIns = new java.util.ArrayList<>();
        for (int i = 0; i < BrowserLoginFlow.MAX_STARTED + 1; i++) {
            signIns.add(start());
        }
        assertNothingSaved(callback(codeAndState(CODE, signIns.get(0).state()), signIns.get(0).cookie()), 400, "not started by this keeper",
                false);
        HttpResponse<String> second = callback(codeAndState(CODE, signIns.get(1).state()), signIns.get(1).cookie());
        assertThat(second.statusCode()).as("the second oldest is still there").isEqualTo(303);
    }

    /**
     * Login CSRF (RFC 6749 §10.12): someone starts a sign-in (their own browser, their own Yoto account) and sends its
     * callback link, with their code, to the parent's browser, which has a sign-in cookie of its own or none. Either way
     * nothing is saved, and the sign-in stays unspent for its own browser. A page on another site cannot know any state.
     */
    @Test
    void aCallbackCarriedToAnotherBrowserSavesNothing() throws Exception {
        startConnected();
        stubCodeExchange(okJson(tokenJson(Tokens.access(), Tokens.refresh(), 86_400)));
        SignIn attackers = start();
        SignIn parents = start();

        assertNothingSaved(callback(codeAndState(CODE, attackers.state()), parents.cookie()), 400, "started in another browser", false);
        assertNothingSaved(callback(codeAndState(CODE, attackers.state()), null), 400, "cookie is missing", false);
        assertThat(codeExchanges()).isEmpty();
        assertThat(callback(codeAndState(CODE, parents.state()), parents.cookie()).statusCode()).isEqualTo(303);
    }

    @Test
    void whatTheServerDoesWrongIsShownAndSavesNothing() throws Exception {
        startConnected();
        record Case(ResponseDefinitionBuilder answer, int status, String says) {
        }
        List<Case> cases = List.of(
                new Case(aResponse().withStatus(503).withBody("<html>busy</html>"), 502, "failed (HTTP 503)"),
                new Case(okJson("{\"access_token\":\"at-" + Tokens.MARKER + "\",\"token_type\":\"Bearer\",\"expires_in\":86400}"), 502,
                        "Add offline_access to YOTO_SCOPE"),
                new Case(aResponse().withStatus(200).withHeader("Content-Type", "text/html").withBody("<html>" + Tokens.MARKER), 502,
                        "not the JSON of a token response"),
                new Case(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"unauthorized_client\"}"), 400, "(unauthorized_client)"),
                new Case(okJson(tokenJson(Tokens.access(), Tokens.refresh(), 86_400)).withFixedDelay(3_000), 502, "did not answer in time"));
        for (Case each : cases) {
            yoto.resetRequests();
            stubCodeExchange(each.answer());
            SignIn signIn = start();
            assertNothingSaved(callback(codeAndState(CODE, signIn.state()), signIn.cookie()), each.status(), each.says());
            assertThat(codeExchanges()).hasSize(1);
        }
    }

    @Test
    void aSignInStartedUnderAnotherAddressThanTheCallbacksIsStoppedBeforeYoto() {
        startKeeper();
        String callbackOrigin = "http://127.0.0.1:" + httpPort();
        RawHttp.Response byHost = RawHttp.send(httpPort(), "POST", "/auth/browser/start", null, "Host", "localhost:" + httpPort());
        assertThat(byHost.status()).isEqualTo(409);
        assertThat(byHost.body()).contains("wrong_address").contains(callbackOrigin + "/");
        assertThat(byHost.header("Set-Cookie")).isNull();
        // behind a proxy that rewrites Host, the browser's Origin tells where the page really is
        RawHttp.Response byOrigin = RawHttp.send(httpPort(), "POST", "/auth/browser/start", null, "Origin", "http://LOCALHOST:" + httpPort(),
                "Sec-Fetch-Site", "same-origin");
        assertThat(byOrigin.status()).isEqualTo(409);
        assertThat(RawHttp.send(httpPort(), "POST", "/auth/browser/start", null, "Host", "localhost:" + httpPort(),
                "Origin", callbackOrigin, "Sec-Fetch-Site", "same-origin").status()).isEqualTo(200);
        assertThat(RawHttp.send(httpPort(), "POST", "/auth/browser/start", null, "Host", "127.0.0.1.:" + httpPort()).status())
                .as("a trailing dot names the same host").isEqualTo(200);
    }

    @Test
    void thePageOffersBothLoginsAndTheCallbackUrlToRegister() throws Exception {
        startKeeper();
        String page = http("GET", "/").body();
        assertThat(page).contains("<form method=\"post\" action=\"/auth/browser/start\"><button type=\"submit\" class=\"primary\">Sign in with Yoto")
                .contains("<form method=\"post\" action=\"/auth/device/start\"><button type=\"submit\" class=\"secondary\">Use a code instead")
                .contains("<code id=\"callback-url\">http://127.0.0.1:" + httpPort() + "/auth/callback</code>");
        JsonNode status = JSON.readTree(http("GET", "/auth/status").body());
        assertThat(status.get("login_flows").toString()).isEqualTo("[\"browser\",\"device\"]");
        assertThat(status.get("redirect_uri").asText()).isEqualTo("http://127.0.0.1:" + httpPort() + "/auth/callback");
    }
}
