package io.github.yototokenkeeper.token;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import io.github.yototokenkeeper.embed.YotoEndpoints;
import io.github.yototokenkeeper.embed.YotoLoginRequiredException;
import io.github.yototokenkeeper.support.CapturedLogs;
import io.github.yototokenkeeper.support.KeeperMainTestSupport;
import io.github.yototokenkeeper.support.Tokens;
import java.nio.file.Files;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.Test;

/**
 * A login or logout that happens while a refresh is on its way to the token server: the user's action describes the
 * session, so the late answer of the older refresh (a rotated token, or a refusal of the old token) must neither
 * overwrite the new login's token, nor bring back a logged-out session, nor ask for another login.
 * The token server holds each refresh answer for 12 s; the login or logout is made while it waits, over real HTTP (each
 * test checks that the refresh was still waiting when the user's action completed).
 */
class LoginDuringRefreshTest extends KeeperMainTestSupport {

    /** The longest a test waits for the login it makes while a refresh answer is held. */
    private static final int LOGIN_WAIT_MS = 5_000;
    /**
     * How long the token server holds a refresh answer: clearly longer than all a test does meanwhile (the request
     * that starts the login and {@link #LOGIN_WAIT_MS} for it, or the logout's request), so that the refresh is still
     * waiting when the user's action has completed, however slow the machine.
     */
    private static final int HELD_MS = 12_000;
    /** The keeper's HTTP timeout, and the test's wait for the held refresh to end: longer than the hold. */
    private static final int PAST_THE_HOLD_SECONDS = 25;

    @Override
    protected void keeperProperties(Properties properties) {
        properties.put("yoto.keeper.device-poll-time-scale", "0.1");
        properties.put("yoto.keeper.http-timeout-seconds", String.valueOf(PAST_THE_HOLD_SECONDS)); // longer than the held answer
    }

    /** Starts the keeper on a saved session, then holds the next refresh answer; returns the token it will send. */
    private String startLoggedIn() throws Exception {
        String saved = Tokens.refresh();
        String rotated = Tokens.refresh();
        writeTokenFile(saved);
        stubTokenAnswer(Tokens.access(), rotated, 86_400);
        startKeeper();
        assertThat(tokenFileContent().strip()).isEqualTo(rotated);
        yoto.resetAll();
        return rotated;
    }

    private static void holdRefreshAnswer(ResponseDefinitionBuilder answer) {
        yoto.stubFor(tokenEndpoint().withFormParam("grant_type", equalTo("refresh_token"))
                .willReturn(answer.withFixedDelay(HELD_MS)));
    }

    /** Asks for a refresh and returns once its request is being sent; the future completes when the refresh ended. */
    private CompletableFuture<Void> refreshUnderWay() throws InterruptedException {
        CountDownLatch sending = new CountDownLatch(1);
        context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.ExchangeSendingEvent send && send.getEndpoint().getEndpointUri().contains(TOKEN_PATH)) {
                    sending.countDown();
                }
            }
        });
        CompletableFuture<Void> refresh = CompletableFuture.runAsync(this::refreshNow);
        assertThat(sending.await(10, TimeUnit.SECONDS)).as("the refresh request is being sent").isTrue();
        return refresh;
    }

    /** A device-flow login that the user approves at once: the first poll gets the new session's tokens. */
    private void logInAgain(String refreshToken, String accessToken) {
        yoto.stubFor(post(urlPathEqualTo("/oauth/device/code")).willReturn(okJson("{\"device_code\":\"dc-1\","
                + "\"user_code\":\"KDJS-HFPQ\",\"verification_uri\":\"https://login.example/activate\",\"expires_in\":900,"
                + "\"interval\":1}")));
        yoto.stubFor(tokenEndpoint().withFormParam("grant_type", equalTo("urn:ietf:params:oauth:grant-type:device_code"))
                .willReturn(okJson(tokenJson(accessToken, refreshToken, 86_400))));
        NotifyBuilder loggedIn = new NotifyBuilder(context).fromRoute("yoto-keeper-login-poll").whenDone(1).create();
        assertThat(http("POST", "/auth/device/start").statusCode()).isEqualTo(200);
        assertThat(loggedIn.matches(LOGIN_WAIT_MS, TimeUnit.MILLISECONDS)).as("the login completed").isTrue();
    }

    private String accessToken() {
        return template.requestBody(YotoEndpoints.ACCESS_TOKEN, null, String.class);
    }

    @Test
    void aLoginThatCompletesDuringARefreshKeepsItsTokenOverTheRefreshAnswer() throws Exception {
        String sent = startLoggedIn();
        holdRefreshAnswer(okJson(tokenJson(Tokens.access(), Tokens.refresh(), 86_400)));
        String loginRefresh = Tokens.refresh();
        String loginAccess = Tokens.access();
        int mark = CapturedLogs.mark();

        CompletableFuture<Void> refresh = refreshUnderWay();
        logInAgain(loginRefresh, loginAccess);
        assertThat(refresh).as("the login completed while the refresh waited for its answer").isNotDone();
        assertThat(tokenFileContent().strip()).isEqualTo(loginRefresh);
        refresh.get(PAST_THE_HOLD_SECONDS, TimeUnit.SECONDS);

        yoto.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH)).withFormParam("refresh_token", equalTo(sent)));
        assertThat(tokenFileContent().strip()).as("the login's refresh token, not the late answer's").isEqualTo(loginRefresh);
        assertThat(accessToken()).isEqualTo(loginAccess);
        assertThat(status().state()).isEqualTo(SessionState.AUTHENTICATED);
        assertThat(CapturedLogs.textSince(mark)).contains("A login or logout happened while this refresh was under way");

        // the next refresh sends the login's token
        yoto.resetAll();
        stubTokenAnswer(Tokens.access(), Tokens.refresh(), 86_400);
        refreshNow();
        yoto.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH)).withFormParam("refresh_token", equalTo(loginRefresh)));
    }

    @Test
    void aRefusalOfTheOldTokenAfterALoginDoesNotAskForAnotherLogin() throws Exception {
        startLoggedIn();
        holdRefreshAnswer(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"invalid_grant\",\"error_description\":\"unknown or revoked refresh token\"}"));
        String loginRefresh = Tokens.refresh();
        String loginAccess = Tokens.access();
        int mark = CapturedLogs.mark();

        CompletableFuture<Void> refresh = refreshUnderWay();
        logInAgain(loginRefresh, loginAccess);
        assertThat(refresh).isNotDone();
        refresh.get(PAST_THE_HOLD_SECONDS, TimeUnit.SECONDS);

        assertThat(status().state()).isEqualTo(SessionState.AUTHENTICATED);
        assertThat(status().lastError()).isNull();
        assertThat(CapturedLogs.textSince(mark)).contains("the session since is not affected").doesNotContain("Re-login needed");
        assertThat(http("GET", "/health").statusCode()).isEqualTo(200);
        assertThat(tokenFileContent().strip()).isEqualTo(loginRefresh);
        assertThat(accessToken()).isEqualTo(loginAccess);
    }

    @Test
    void aLostAnswerAfterALoginIsNotRetriedWithTheOldToken() throws Exception {
        String sent = startLoggedIn();
        holdRefreshAnswer(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        String loginRefresh = Tokens.refresh();
        String loginAccess = Tokens.access();
        int mark = CapturedLogs.mark();

        CompletableFuture<Void> refresh = refreshUnderWay();
        logInAgain(loginRefresh, loginAccess);
        assertThat(refresh).isNotDone();
        refresh.get(PAST_THE_HOLD_SECONDS, TimeUnit.SECONDS);

        yoto.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH)).withFormParam("refresh_token", equalTo(sent)));
        // no early retry planned for the old session: the next wake-up is the new access token's early refresh
        assertThat(session().retrySoon()).isFalse();
        assertThat(session().nextWakeUp()).hasValueSatisfying(next ->
                assertThat(next).isAfter(java.time.Instant.now().plusSeconds(60)));
        assertThat(status().state()).isEqualTo(SessionState.AUTHENTICATED);
        assertThat(status().consecutiveFailures()).isZero();
        assertThat(accessToken()).isEqualTo(loginAccess);
        assertThat(CapturedLogs.textSince(mark)).contains("A refresh begun before the last login or logout failed")
                .doesNotContain("Token refresh failed");
    }

    @Test
    void aLogoutDuringARefreshStaysLoggedOutWhenTheRotatedTokenArrives() throws Exception {
        startLoggedIn();
        String lateRefresh = Tokens.refresh();
        holdRefreshAnswer(okJson(tokenJson(Tokens.access(), lateRefresh, 86_400)));

        CompletableFuture<Void> refresh = refreshUnderWay();
        assertThat(http("POST", "/auth/logout").statusCode()).isEqualTo(200);
        assertThat(refresh).as("the logout happened while the refresh waited for its answer").isNotDone();
        refresh.get(PAST_THE_HOLD_SECONDS, TimeUnit.SECONDS);

        assertThat(Files.exists(tokenFile())).as("no token file brought back by the late answer").isFalse();
        assertThat(status().state()).isEqualTo(SessionState.LOGGED_OUT);
        assertThatThrownBy(this::accessToken).hasRootCauseInstanceOf(YotoLoginRequiredException.class);
    }
}
