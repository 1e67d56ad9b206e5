package io.github.yototokenkeeper.login;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.yototokenkeeper.support.CapturedLogs;
import io.github.yototokenkeeper.support.KeeperMainTestSupport;
import io.github.yototokenkeeper.support.Tokens;
import io.github.yototokenkeeper.token.SessionState;
import io.github.yototokenkeeper.token.TokenSession;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.seda.SedaEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The device flow end to end: POST /auth/device/start over real HTTP, WireMock playing Yoto's login server through
 * each polling scenario. Intervals are scaled by 0.1 (the server's 1 s becomes 100 ms; slow_down's +5 s becomes
 * +500 ms); the spacing of the polls is read from WireMock's request log.
 */
class DeviceLoginTest extends KeeperMainTestSupport {

    static final double SCALE = 0.1;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEVICE_CODE = "dc-" + Tokens.MARKER + "-device";

    @Override
    protected void keeperProperties(Properties properties) {
        properties.put("yoto.keeper.device-poll-time-scale", String.valueOf(SCALE));
    }

    private static void stubDeviceCode(Long interval) {
        yoto.stubFor(post(urlPathEqualTo("/oauth/device/code")).willReturn(okJson("{\"device_code\":\"" + DEVICE_CODE + "\","
                + "\"user_code\":\"KDJS-HFPQ\",\"verification_uri\":\"https://login.example/activate\","
                + "\"verification_uri_complete\":\"https://login.example/activate?user_code=KDJS-HFPQ\",\"expires_in\":900"
                + (interval == null ? "" : ",\"interval\":" + interval) + "}")));
    }

    /** The token endpoint answers the polls in this order, then keeps answering with the last one. */
    private static void stubPolls(ResponseDefinitionBuilder... answers) {
        for (int i = 0; i < answers.length; i++) {
            yoto.stubFor(tokenEndpoint().inScenario("polls").whenScenarioStateIs(i == 0 ? Scenario.STARTED : "poll" + i)
                    .willReturn(answers[i]).willSetStateTo("poll" + (i + 1)));
        }
        yoto.stubFor(tokenEndpoint().inScenario("polls").whenScenarioStateIs("poll" + answers.length)
                .willReturn(answers[answers.length - 1]));
    }

    private static ResponseDefinitionBuilder oauthError(int status, String error) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody("{\"error\":\"" + error + "\"}");
    }

    private NotifyBuilder polls(int count) {
        return new NotifyBuilder(context).fromRoute("yoto-keeper-login-poll").whenDone(count).create();
    }

    private JsonNode start() throws Exception {
        HttpResponse<String> response = http("POST", "/auth/device/start");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private JsonNode statusJson() throws Exception {
        return JSON.readTree(http("GET", "/auth/status").body());
    }

    private List<Duration> pollGaps() {
        List<LoggedRequest> requests = yoto.findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
        List<Duration> gaps = new ArrayList<>();
        for (int i = 1; i < requests.size(); i++) {
            gaps.add(Duration.between(requests.get(i - 1).getLoggedDate().toInstant(), requests.get(i).getLoggedDate().toInstant()));
        }
        return gaps;
    }

    /** No poll is queued or under way: the loop has really stopped. */
    private void assertPollingStopped() {
        SedaEndpoint queue = context.getEndpoint(DeviceLoginRoutes.POLL, SedaEndpoint.class);
        assertThat(queue.getCurrentQueueSize()).isZero();
        assertThat(context.getInflightRepository().size("yoto-keeper-login-poll")).isZero();
    }

    private static Duration scaled(long seconds) {
        return Duration.ofMillis((long) (seconds * 1000 * SCALE));
    }

    /** Opened by a test that holds the polls ({@link #holdThePolls()}), and always after each test. */
    private final CountDownLatch pollsMayGo = new CountDownLatch(1);

    @AfterEach
    void letThePollsGo() {
        pollsMayGo.countDown(); // a held poll would keep the context's stop waiting
    }

    /**
     * Holds each poll just before its request goes to the token endpoint until {@link #pollsMayGo} opens: until then
     * no poll is answered, so the login is pending however loaded the machine is. Before {@link #startKeeper()} (the
     * test starts the context). The hold is at the request, not at the start of the route: the poll sits inside the
     * route's wait loop, so a turn held before the loop until its poll fell due would end without polling.
     */
    private void holdThePolls() throws Exception {
        AdviceWith.adviceWith(context, "yoto-keeper-login-poll", route -> route.weaveByToUri(".*" + TOKEN_PATH + ".*")
                .before().process(exchange -> pollsMayGo.await(30, TimeUnit.SECONDS)));
    }

    private DeviceLogin currentLogin() {
        return context.getRegistry().lookupByNameAndType("yotoKeeperLogins", DeviceLoginFlow.class).current().orElseThrow();
    }

    @Test
    void pendingPendingSlowDownThenSuccessSavesTheTokenAndTheScheduleTakesOver() throws Exception {
        String refresh = Tokens.refresh();
        stubDeviceCode(1L);
        stubPolls(oauthError(400, "authorization_pending"), oauthError(400, "authorization_pending"),
                oauthError(400, "slow_down"), okJson(tokenJson(Tokens.access(), refresh, 86_400)));
        holdThePolls();
        startKeeper();
        NotifyBuilder fourPolls = polls(4);
        int mark = CapturedLogs.mark();

        JsonNode started = start();

        assertThat(started.fieldNames()).toIterable().containsExactlyInAnyOrder(
                "user_code", "verification_uri", "verification_uri_complete", "expires_in", "interval");
        assertThat(started.get("user_code").asText()).isEqualTo("KDJS-HFPQ");
        assertThat(started.get("verification_uri_complete").asText()).isEqualTo("https://login.example/activate?user_code=KDJS-HFPQ");
        assertThat(started.get("interval").asInt()).isEqualTo(1);
        assertThat(started.toString()).doesNotContain(DEVICE_CODE);
        yoto.verify(postRequestedFor(urlPathEqualTo("/oauth/device/code"))
                .withFormParam("client_id", equalTo(CLIENT_ID))
                .withFormParam("scope", equalTo("profile offline_access"))
                .withFormParam("audience", equalTo("https://api.yotoplay.com")));
        // the first poll is held before its request: none has been answered, so the login is pending whatever the load
        assertThat(statusJson().get("state").asText()).isEqualTo("login_pending");
        assertThat(currentLogin().interval()).isEqualTo(Duration.ofSeconds(1));
        yoto.verify(0, postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
        pollsMayGo.countDown();

        assertThat(fourPolls.matches(20, TimeUnit.SECONDS)).isTrue();
        yoto.verify(4, postRequestedFor(urlPathEqualTo(TOKEN_PATH))
                .withFormParam("grant_type", equalTo("urn:ietf:params:oauth:grant-type:device_code"))
                .withFormParam("device_code", equalTo(DEVICE_CODE))
                .withFormParam("client_id", equalTo(CLIENT_ID)));
        List<Duration> gaps = pollGaps();
        assertThat(gaps.get(0)).isGreaterThanOrEqualTo(scaled(1));
        assertThat(gaps.get(1)).isGreaterThanOrEqualTo(scaled(1));
        assertThat(gaps.get(2)).as("after slow_down: interval + 5 s").isGreaterThanOrEqualTo(scaled(6));
        // no upper bound on the gaps (that would time the machine): the interval went from 1 s to 6 s once, at the
        // slow_down, and stayed there for the last poll, as the log and the login's own interval say
        assertThat(CapturedLogs.since(mark)).map(CapturedLogs.Line::text).filteredOn(text -> text.startsWith("Login polling slows down"))
                .containsExactly("Login polling slows down: every 6 s now");
        assertThat(currentLogin().interval()).isEqualTo(Duration.ofSeconds(6));

        assertThat(tokenFileContent().strip()).isEqualTo(refresh);
        assertThat(Files.getPosixFilePermissions(tokenFile())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        JsonNode status = statusJson();
        assertThat(status.get("state").asText()).isEqualTo("authenticated");
        assertThat(status.get("login").get("state").asText()).isEqualTo("connected");
        assertThat(status.get("access_token_expires_at").isNull()).isFalse();
        assertPollingStopped();

        // the keeper's one refresh path now uses the login's refresh token, with no restart
        yoto.resetAll();
        stubTokenAnswer(Tokens.access(), Tokens.refresh(), 86_400);
        refreshNow();
        yoto.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH)).withFormParam("grant_type", equalTo("refresh_token"))
                .withFormParam("refresh_token", equalTo(refresh)));
    }

    @Test
    void expiredTokenStopsPollingAsExpired() throws Exception {
        stubDeviceCode(1L);
        stubPolls(oauthError(400, "authorization_pending"), oauthError(400, "expired_token"));
        startKeeper();
        NotifyBuilder twoPolls = polls(2);
        start();
        assertThat(twoPolls.matches(10, TimeUnit.SECONDS)).isTrue();

        JsonNode status = statusJson();
        assertThat(status.get("state").asText()).isEqualTo("logged_out");
        assertThat(status.get("login").get("state").asText()).isEqualTo("expired");
        assertPollingStopped();
        yoto.verify(2, postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
        assertThat(Files.exists(tokenFile())).isFalse();
    }

    @Test
    void accessDeniedStopsPollingAsDenied() throws Exception {
        stubDeviceCode(1L);
        stubPolls(oauthError(403, "access_denied"));
        startKeeper();
        NotifyBuilder onePoll = polls(1);
        start();
        assertThat(onePoll.matches(10, TimeUnit.SECONDS)).isTrue();
        assertThat(statusJson().get("login").get("state").asText()).isEqualTo("denied");
        assertPollingStopped();
    }

    @Test
    void anUnknownErrorStopsWithItsDescription() throws Exception {
        stubDeviceCode(1L);
        stubPolls(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"invalid_scope\",\"error_description\":\"scope not allowed\"}"));
        startKeeper();
        NotifyBuilder onePoll = polls(1);
        start();
        assertThat(onePoll.matches(10, TimeUnit.SECONDS)).isTrue();
        JsonNode login = statusJson().get("login");
        assertThat(login.get("state").asText()).isEqualTo("error");
        assertThat(login.get("error").asText()).contains("invalid_scope").contains("scope not allowed");
        assertPollingStopped();
    }

    @Test
    void slowDownAsHttp429AlsoSlowsDown() throws Exception {
        stubDeviceCode(1L);
        stubPolls(oauthError(429, "slow_down"), oauthError(400, "authorization_pending"),
                okJson(tokenJson(Tokens.access(), Tokens.refresh(), 3600)));
        startKeeper();
        NotifyBuilder threePolls = polls(3);
        start();
        assertThat(threePolls.matches(20, TimeUnit.SECONDS)).isTrue();
        List<Duration> gaps = pollGaps();
        assertThat(gaps.get(0)).isGreaterThanOrEqualTo(scaled(6));
        assertThat(gaps.get(1)).as("the new interval stays for later polls").isGreaterThanOrEqualTo(scaled(6));
        assertThat(status().state()).isEqualTo(SessionState.AUTHENTICATED);
    }

    @Test
    void aConnectionErrorDoublesTheWaitAndPollingGoesOn() throws Exception {
        stubDeviceCode(1L);
        stubPolls(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), aResponse().withStatus(503),
                okJson(tokenJson(Tokens.access(), Tokens.refresh(), 3600)));
        startKeeper();
        NotifyBuilder threePolls = polls(3);
        start();
        assertThat(threePolls.matches(20, TimeUnit.SECONDS)).isTrue();
        List<Duration> gaps = pollGaps();
        assertThat(gaps.get(0)).isGreaterThanOrEqualTo(scaled(2));
        assertThat(gaps.get(1)).isGreaterThanOrEqualTo(scaled(4));
        assertThat(statusJson().get("login").get("state").asText()).isEqualTo("connected");
    }

    @Test
    void noIntervalInTheAnswerMeansFiveSeconds() throws Exception {
        stubDeviceCode(null);
        stubPolls(oauthError(400, "authorization_pending"), okJson(tokenJson(Tokens.access(), Tokens.refresh(), 3600)));
        startKeeper();
        NotifyBuilder twoPolls = polls(2);
        JsonNode started = start();
        assertThat(started.get("interval").asInt()).isEqualTo(5);
        assertThat(twoPolls.matches(20, TimeUnit.SECONDS)).isTrue();
        assertThat(pollGaps().get(0)).isGreaterThanOrEqualTo(scaled(5));
    }

    @Test
    void startingAgainCancelsThePendingLogin() throws Exception {
        stubDeviceCode(30L); // 3 s scaled: the first login never gets to poll
        stubPolls(oauthError(400, "authorization_pending"));
        startKeeper();
        start();
        long firstId = context.getRegistry().lookupByNameAndType("yotoKeeperLogins", DeviceLoginFlow.class).current().orElseThrow().id();
        start();
        DeviceLogin current = context.getRegistry().lookupByNameAndType("yotoKeeperLogins", DeviceLoginFlow.class).current().orElseThrow();
        assertThat(current.id()).isGreaterThan(firstId);
        assertThat(current.pending()).isTrue();
    }

    @Test
    void aLoginStartedWhileAnotherOneWaitsStillPollsAndConnects() throws Exception {
        stubDeviceCode(30L); // 3 s scaled: the first loop is still waiting when the second login starts
        String refresh = Tokens.refresh();
        stubPolls(okJson(tokenJson(Tokens.access(), refresh, 3600)));
        startKeeper();
        start();
        stubDeviceCode(1L); // the second login's first poll is due after 0.1 s, before the first loop's turn has ended
        NotifyBuilder polled = new NotifyBuilder(context).fromRoute("yoto-keeper-login-poll").wereSentTo(".*" + TOKEN_PATH + ".*")
                .whenDone(1).create();

        start();

        assertThat(polled.matches(10, TimeUnit.SECONDS)).as("the second login polled").isTrue();
        assertThat(statusJson().get("login").get("state").asText()).isEqualTo("connected");
        assertThat(tokenFileContent().strip()).isEqualTo(refresh);
    }

    @Test
    void aLoginWithoutARefreshTokenIsAnError() throws Exception {
        stubDeviceCode(1L);
        stubPolls(okJson(tokenJson(Tokens.access(), null, 3600)));
        startKeeper();
        NotifyBuilder onePoll = polls(1);
        start();
        assertThat(onePoll.matches(10, TimeUnit.SECONDS)).isTrue();
        JsonNode login = statusJson().get("login");
        assertThat(login.get("state").asText()).isEqualTo("error");
        assertThat(login.get("error").asText()).contains("offline_access");
        assertThat(Files.exists(tokenFile())).isFalse();
    }

    @Test
    void aRefusalOfTheDeviceCodeEndpointIs502WithItsReason() throws Exception {
        yoto.stubFor(post(urlPathEqualTo("/oauth/device/code")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"unauthorized_client\",\"error_description\":\"device flow not enabled\"}")));
        startKeeper();
        HttpResponse<String> response = http("POST", "/auth/device/start");
        assertThat(response.statusCode()).isEqualTo(502);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("error").asText()).isEqualTo("login_refused");
        assertThat(body.get("message").asText()).contains("unauthorized_client").contains("device flow not enabled");
        assertThat(statusJson().get("login").isNull()).isTrue();
    }

    @Test
    void garbageFromTheDeviceCodeEndpointIs502() throws Exception {
        yoto.stubFor(post(urlPathEqualTo("/oauth/device/code")).willReturn(aResponse().withStatus(200).withBody("<html>")));
        startKeeper();
        HttpResponse<String> response = http("POST", "/auth/device/start");
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
