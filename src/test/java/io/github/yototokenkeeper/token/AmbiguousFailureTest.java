package io.github.yototokenkeeper.token;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.yototokenkeeper.support.CapturedLogs;
import io.github.yototokenkeeper.support.KeeperMainTestSupport;
import io.github.yototokenkeeper.support.Tokens;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The request went out and no answer came back: the server may have rotated the token already. */
class AmbiguousFailureTest extends KeeperMainTestSupport {

    /** Every way the answer can be lost after the request went out: closed, reset, cut mid-answer, too late. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Fault.class, names = {"EMPTY_RESPONSE", "CONNECTION_RESET_BY_PEER", "MALFORMED_RESPONSE_CHUNK"})
    void noAnswerIsRetriedOnceAtOnceWithTheSameToken(Fault lost) throws Exception {
        String token = Tokens.refresh();
        String rotated = Tokens.refresh();
        writeTokenFile(token);
        yoto.stubFor(tokenEndpoint().inScenario("lost").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withFault(lost)).willSetStateTo("retried"));
        yoto.stubFor(tokenEndpoint().inScenario("lost").whenScenarioStateIs("retried")
                .willReturn(okJson(tokenJson(Tokens.access(), rotated, 3600))));
        int mark = CapturedLogs.mark();

        startKeeper();

        yoto.verify(2, postRequestedFor(urlPathEqualTo(TOKEN_PATH)).withFormParam("refresh_token", equalTo(token)));
        assertThat(tokenFileContent().strip()).isEqualTo(rotated);
        assertThat(status().status()).isEqualTo(TokenState.Status.AUTHENTICATED);
        assertThat(CapturedLogs.textSince(mark)).contains("retrying once, at once, with the same refresh token");
    }

    @Test
    void noAnswerTwiceIsADistinctErrorAndTheFileIsKept() throws Exception {
        String token = Tokens.refresh();
        writeTokenFile(token);
        yoto.stubFor(tokenEndpoint().willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));

        startKeeper();

        yoto.verify(2, postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
        assertThat(status().status()).isEqualTo(TokenState.Status.REFRESH_FAILING);
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

        startKeeper();

        yoto.verify(2, postRequestedFor(urlPathEqualTo(TOKEN_PATH)).withFormParam("refresh_token", equalTo(token)));
        assertThat(status().lastError()).startsWith("an answer was lost after the request was sent").contains("not the JSON");
        // still inside the server's reuse interval: not the ordinary backoff (15-30 s for a first failure), and not
        // waiting for the expiry check either (every hour in this test): the retry comes by itself
        assertThat(status().nextRefreshAt()).isBefore(java.time.Instant.now().plusSeconds(3));
        String rotated = Tokens.refresh();
        NotifyBuilder retried = new NotifyBuilder(context).fromRoute("yoto-keeper-retry-soon").whenDone(1).create();
        yoto.stubFor(tokenEndpoint().inScenario("lost").whenScenarioStateIs("garbage")
                .willReturn(okJson(tokenJson(Tokens.access(), rotated, 3600))));
        assertThat(retried.matches(10, TimeUnit.SECONDS)).isTrue();
        yoto.verify(3, postRequestedFor(urlPathEqualTo(TOKEN_PATH)).withFormParam("refresh_token", equalTo(token)));
        assertThat(tokenFileContent().strip()).isEqualTo(rotated);
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
