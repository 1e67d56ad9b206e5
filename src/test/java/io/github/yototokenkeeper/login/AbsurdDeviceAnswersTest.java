package io.github.yototokenkeeper.login;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.yototokenkeeper.support.KeeperMainTestSupport;
import io.github.yototokenkeeper.support.Tokens;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 9, the device flow: a device-authorization or token answer with absurd, negative or non-numeric durations, or
 * a verification URI that is not a web address, must neither stall nor break the login. Intervals are scaled by 0.01
 * (the 60 s cap becomes 0.6 s).
 */
class AbsurdDeviceAnswersTest extends KeeperMainTestSupport {

    private static final double SCALE = 0.01;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEVICE_CODE = "dc-" + Tokens.MARKER + "-device";
    private static final String GOOD_URI = "\"verification_uri\":\"https://login.example/activate\","
            + "\"verification_uri_complete\":\"https://login.example/activate?user_code=KDJS-HFPQ\"";

    @Override
    protected void keeperProperties(Properties properties) {
        properties.put("yoto.keeper.device-poll-time-scale", String.valueOf(SCALE));
    }

    private static void stubDeviceCode(String fields) {
        yoto.stubFor(post(urlPathEqualTo("/oauth/device/code")).willReturn(okJson("{\"device_code\":\"" + DEVICE_CODE + "\","
                + "\"user_code\":\"KDJS-HFPQ\"," + fields + "}")));
    }

    private static void stubPolls(ResponseDefinitionBuilder first, ResponseDefinitionBuilder then) {
        yoto.stubFor(tokenEndpoint().inScenario("polls").whenScenarioStateIs(Scenario.STARTED).willReturn(first).willSetStateTo("later"));
        yoto.stubFor(tokenEndpoint().inScenario("polls").whenScenarioStateIs("later").willReturn(then));
    }

    private static ResponseDefinitionBuilder pending() {
        return aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody("{\"error\":\"authorization_pending\"}");
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

    static Stream<Arguments> oddDeviceAuthorizations() {
        return Stream.of(
                Arguments.of("\"expires_in\":900,\"interval\":999999", 900, 60),
                Arguments.of("\"expires_in\":900,\"interval\":9223372036854775807", 900, 60),
                Arguments.of("\"expires_in\":900,\"interval\":\"abc\"", 900, 5),
                Arguments.of("\"expires_in\":900,\"interval\":-3", 900, 5),
                Arguments.of("\"expires_in\":-1,\"interval\":1", 900, 1),
                Arguments.of("\"expires_in\":\"abc\",\"interval\":1", 900, 1),
                Arguments.of("\"expires_in\":{},\"interval\":1", 900, 1),
                Arguments.of("\"expires_in\":9223372036854775807,\"interval\":1", 86_400, 1),
                Arguments.of("\"expires_in\":1e400,\"interval\":\"2\"", 86_400, 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oddDeviceAuthorizations")
    void anOddDeviceAuthorizationStillPollsAndCompletes(String durations, long expiresIn, long interval) throws Exception {
        String refresh = Tokens.refresh();
        stubDeviceCode(GOOD_URI + "," + durations);
        stubPolls(pending(), okJson(tokenJson(Tokens.access(), refresh, 3600)));
        startKeeper();
        NotifyBuilder twoPolls = polls(2);

        JsonNode started = start();

        assertThat(started.get("expires_in").asLong()).isEqualTo(expiresIn);
        assertThat(started.get("interval").asLong()).isEqualTo(interval);
        assertThat(twoPolls.matches(20, TimeUnit.SECONDS)).as("two polls within 20 s").isTrue();
        List<LoggedRequest> requests = yoto.findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
        assertThat(requests).hasSize(2);
        assertThat(Duration.between(requests.get(0).getLoggedDate().toInstant(), requests.get(1).getLoggedDate().toInstant()))
                .isGreaterThanOrEqualTo(Duration.ofMillis((long) (interval * 1000 * SCALE)));
        assertThat(statusJson().get("login").get("state").asText()).isEqualTo("connected");
        assertThat(statusJson().get("state").asText()).isEqualTo("authenticated");
        assertThat(tokenFileContent().strip()).isEqualTo(refresh);
    }

    @ParameterizedTest(name = "expires_in: {0}")
    @ValueSource(strings = {"\"abc\"", "-5", "9223372036854775807", "{}"})
    void aLoginWhoseTokenAnswerHasAnOddExpiresInStillConnects(String expiresIn) throws Exception {
        String refresh = Tokens.refresh();
        stubDeviceCode(GOOD_URI + ",\"expires_in\":900,\"interval\":1");
        stubPolls(okJson("{\"access_token\":\"" + Tokens.access() + "\",\"refresh_token\":\"" + refresh
                + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + "}"), pending());
        startKeeper();
        NotifyBuilder onePoll = polls(1);

        start();

        assertThat(onePoll.matches(20, TimeUnit.SECONDS)).isTrue();
        assertThat(statusJson().get("login").get("state").asText()).isEqualTo("connected");
        assertThat(statusJson().get("state").asText()).isEqualTo("authenticated");
        assertThat(tokenFileContent().strip()).isEqualTo(refresh);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "//login.example/activate",
            "https:///activate", "ftp://login.example/activate"})
    void aVerificationUriThatIsNoWebAddressIsShownAsTextOnly(String uri) throws Exception {
        stubDeviceCode("\"verification_uri\":" + JSON.writeValueAsString(uri) + ",\"verification_uri_complete\":"
                + JSON.writeValueAsString(uri + "?user_code=KDJS-HFPQ") + ",\"expires_in\":900,\"interval\":30");
        stubPolls(pending(), pending());
        startKeeper();
        start();

        String page = http("GET", "/?part=main").body();

        assertThat(page).contains("data-state=\"login_pending\"").contains("KDJS-HFPQ");
        assertThat(page).as("no link and no QR code").doesNotContain("<a").doesNotContain("<svg");
        String shown = uri.startsWith("data:") ? "data:text/html,&lt;script&gt;" : uri.replace("&", "&amp;");
        assertThat(page).as("the address is still shown, as text").contains(shown);
        http("POST", "/auth/logout"); // ends the pending login: a poll loop still waiting slows the shutdown
    }

    @Test
    void aBadCompleteUriFallsBackToTheWebAddressOfTheOther() throws Exception {
        stubDeviceCode("\"verification_uri\":\"https://login.example/activate\","
                + "\"verification_uri_complete\":\"javascript:alert(1)\",\"expires_in\":900,\"interval\":30");
        stubPolls(pending(), pending());
        startKeeper();
        start();

        String page = http("GET", "/?part=main").body();

        assertThat(page).contains("href=\"https://login.example/activate\"").contains("<svg").doesNotContain("javascript:");
        http("POST", "/auth/logout");
    }
}
