package io.github.yototokenkeeper.token;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.yototokenkeeper.support.CapturedLogs;
import io.github.yototokenkeeper.support.FastRetryGate;
import io.github.yototokenkeeper.support.KeeperMainTestSupport;
import io.github.yototokenkeeper.support.Tokens;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The request went out and no answer came back: the server may have rotated the token already. */
class AmbiguousFailureTest extends KeeperMainTestSupport {

    /**
     * After a lost answer the keeper retries every 2 s for 30 s: the tests that count token requests hold those
     * retries (before starting the keeper) and let one through only when they want it.
     */
    private FastRetryGate fastRetries;

    private void holdFastRetries() throws Exception {
        fastRetries = FastRetryGate.install(context);
    }

    @AfterEach
    void openFastRetries() {
        if (fastRetries != null) {
            fastRetries.open();
        }
    }

    static Stream<Arguments> lostAnswers() {
        return Stream.of(
                Arguments.of("connection closed", aResponse().withFault(Fault.EMPTY_RESPONSE)),
                Arguments.of("connection reset", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)),
                Arguments.of("answer cut mid-body", aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)),
                Arguments.of("answer after the 2 s timeout", okJson("{}").withFixedDelay(3000)));
    }

    /** Every way the answer can be lost after the request went out: closed, reset, cut mid-answer, too late. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("lostAnswers")
    void noAnswerIsRetriedOnceAtOnceWithTheSameToken(String name, ResponseDefinitionBuilder lost) throws Exception {
        String token = Tokens.refresh();
        String rotated = Tokens.refresh();
        writeTokenFile(token);
        yoto.stubFor(tokenEndpoint().inScenario("lost").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(lost).willSetStateTo("retried"));
        yoto.stubFor(tokenEndpoint().inScenario("lost").whenScenarioStateIs("retried")
                .willReturn(okJson(tokenJson(Tokens.access(), rotated, 3600))));
        int mark = CapturedLogs.mark();

        startKeeper();

        yoto.verify(2, postRequestedFor(urlPathEqualTo(TOKEN_PATH)).withFormParam("refresh_token", equalTo(token)));
        assertThat(tokenFileContent().strip()).isEqualTo(rotated);
        assertThat(status().state()).isEqualTo(SessionState.AUTHENTICATED);
        assertThat(CapturedLogs.textSince(mark)).contains("retrying once, at once, with the same refresh token");
    }

    /**
     * The next refresh attempt asked for from now on: the retry the gate lets through. (Counting the refresh route's
     * done exchanges alone could be met by the end of the attempt at start, which Camel also reports for its copy.)
     */
    private NotifyBuilder retried() {
        java.time.Instant from = java.time.Instant.now();
        return new NotifyBuilder(context).fromRoute("yoto-keeper-refresh")
                .filter(exchange -> !exchange.getProperty(RefreshAttempt.PROPERTY, RefreshAttempt.class).requestedAt().isBefore(from))
                .whenDone(1).create();
    }

    @Test
    void noAnswerTwiceIsADistinctErrorAndTheFileIsKept() throws Exception {
        String token = Tokens.refresh();
        writeTokenFile(token);
        yoto.stubFor(tokenEndpoint().willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
        holdFastRetries();

        startKeeper();

        // the attempt and its immediate retry; the fast retry 2 s later is held
        yoto.verify(2, postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
        assertThat(status().state()).isEqualTo(SessionState.REFRESH_FAILING);
        assertThat(status().lastError()).startsWith("an answer was lost after the request was sent and the immediate retry with the same token failed too")
                .contains("if the next refresh answers invalid_grant, log in again");
        assertThat(tokenFileContent()).isEqualTo(token);
        // the server may have rotated: the next try must come inside its reuse interval, not after a long backoff
        assertThat(status().nextRefreshAt()).isBefore(java.time.Instant.now().plusSeconds(3));
    }

    @Test
    void aLostAnswerFollowedByAnotherKindOfFailureStillRetriesSoon() throws Exception {
        String token = Tokens.refresh();
        writeTokenFile(token);
        yoto.stubFor(tokenEndpoint().inScenario("lost").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)).willSetStateTo("garbage"));
        yoto.stubFor(tokenEndpoint().inScenario("lost").whenScenarioStateIs("garbage")
                .willReturn(aResponse().withStatus(200).withBody("<html>proxy</html>")));
        holdFastRetries();

        startKeeper();

        yoto.verify(2, postRequestedFor(urlPathEqualTo(TOKEN_PATH)).withFormParam("refresh_token", equalTo(token)));
        assertThat(status().lastError()).startsWith("an answer was lost after the request was sent").contains("not the JSON");
        // still inside the server's reuse interval: not the ordinary backoff (15-30 s for a first failure), and not
        // waiting for the expiry check either (every hour in this test): the retry comes by itself (held here until
        // the server is ready to answer it)
        assertThat(status().nextRefreshAt()).isBefore(java.time.Instant.now().plusSeconds(3));
        String rotated = Tokens.refresh();
        NotifyBuilder retried = retried();
        yoto.stubFor(tokenEndpoint().inScenario("lost").whenScenarioStateIs("garbage")
                .willReturn(okJson(tokenJson(Tokens.access(), rotated, 3600))));
        fastRetries.letOneThrough();
        assertThat(retried.matches(10, TimeUnit.SECONDS)).isTrue();
        yoto.verify(3, postRequestedFor(urlPathEqualTo(TOKEN_PATH)).withFormParam("refresh_token", equalTo(token)));
        assertThat(tokenFileContent().strip()).isEqualTo(rotated);
    }

    @Test
    void theRetryAfterALostAnswerIsJudgedOnItsOwn() throws Exception {
        String token = Tokens.refresh();
        writeTokenFile(token);
        yoto.stubFor(tokenEndpoint().inScenario("outage").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)).willSetStateTo("lost again"));
        yoto.stubFor(tokenEndpoint().inScenario("outage").whenScenarioStateIs("lost again")
                .willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)).willSetStateTo("503"));
        yoto.stubFor(tokenEndpoint().inScenario("outage").whenScenarioStateIs("503")
                .willReturn(aResponse().withStatus(503)));
        holdFastRetries();

        startKeeper();
        assertThat(status().lastError()).startsWith("an answer was lost");
        NotifyBuilder retried = retried();
        fastRetries.letOneThrough();
        assertThat(retried.matches(10, TimeUnit.SECONDS)).isTrue();

        // the retry met a plain 503: an answer, not another lost one, so it does not prolong the fast retries (a
        // verdict inherited from the first attempt would keep them going every 2 s for as long as the outage lasts)
        // (the next one, still inside the first loss's 30 s, is held: the count is exact)
        yoto.verify(3, postRequestedFor(urlPathEqualTo(TOKEN_PATH)).withFormParam("refresh_token", equalTo(token)));
        assertThat(status().lastError()).isEqualTo("the token endpoint answered HTTP 503");
    }

    @Test
    void aServerErrorIsAnAnswerAndIsNotRetriedAtOnce() throws Exception {
        writeTokenFile(Tokens.refresh());
        yoto.stubFor(tokenEndpoint().willReturn(aResponse().withStatus(503)));
        startKeeper();
        yoto.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
        assertThat(status().lastError()).doesNotContain("no answer after the request was sent");
    }
}
