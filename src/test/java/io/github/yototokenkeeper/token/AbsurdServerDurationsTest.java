package io.github.yototokenkeeper.token;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.yototokenkeeper.support.CapturedLogs;
import io.github.yototokenkeeper.support.KeeperMainTestSupport;
import io.github.yototokenkeeper.support.Tokens;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 9: durations a token server gives (Retry-After, expires_in) may be absurd, negative or not numbers at all. The
 * keeper clamps them; none may break the error handler or cost the rotated refresh token.
 */
class AbsurdServerDurationsTest extends KeeperMainTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration INTERVAL = Duration.ofHours(12);
    private static final Pattern RETRY_AT = Pattern.compile("retrying at (\\S+)");

    @ParameterizedTest(name = "Retry-After: {0}")
    @ValueSource(strings = {"9223372036854775807", "Fri, 31 Dec 9999 23:59:59 GMT"})
    void anAbsurdRetryAfterIsCountedLoggedAndCappedAtTheInterval(String retryAfter) throws Exception {
        String token = Tokens.refresh();
        writeTokenFile(token);
        yoto.stubFor(tokenEndpoint().willReturn(aResponse().withStatus(503).withHeader("Retry-After", retryAfter)));
        int mark = CapturedLogs.mark();
        Instant before = Instant.now();

        startKeeper();

        Instant after = Instant.now();
        String logs = CapturedLogs.textSince(mark);
        assertThat(logs).contains("Token refresh failed: the token endpoint answered HTTP 503");
        assertThat(status().state()).isEqualTo(SessionState.REFRESH_FAILING);
        assertThat(status().consecutiveFailures()).isEqualTo(1);
        Matcher retryAt = RETRY_AT.matcher(logs);
        assertThat(retryAt.find()).as(logs).isTrue();
        assertThat(Instant.parse(retryAt.group(1))).as("the server's wait, capped at the refresh interval")
                .isBetween(before.plus(INTERVAL), after.plus(INTERVAL));
        assertThat(status().nextRefreshAt()).isBeforeOrEqualTo(Instant.now().plus(INTERVAL));
        assertThat(tokenFileContent()).isEqualTo(token);

        HttpResponse<String> refresh = http("POST", "/auth/refresh");

        assertThat(refresh.statusCode()).isEqualTo(200);
        JsonNode answer = JSON.readTree(refresh.body());
        assertThat(answer.get("state").asText()).isEqualTo("refresh_failing");
        assertThat(answer.get("consecutive_failures").asInt()).isEqualTo(2);
        yoto.verify(2, postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
    }

    static Stream<Arguments> oddExpiresIn() {
        Duration longest = Duration.ofDays(365);
        return Stream.of(
                Arguments.of("\"abc\"", null),
                Arguments.of("-5", null),
                Arguments.of("0", null),
                Arguments.of("{}", null),
                Arguments.of("[3600]", null),
                Arguments.of("null", null),
                Arguments.of("9223372036854775807", longest),
                Arguments.of("1e400", longest),
                Arguments.of("\"3600\"", Duration.ofHours(1)));
    }

    @ParameterizedTest(name = "expires_in: {0}")
    @MethodSource("oddExpiresIn")
    void aSuccessfulAnswerWithAnOddExpiresInStillSavesTheRotatedToken(String expiresIn, Duration lifetime) throws Exception {
        writeTokenFile(Tokens.refresh());
        String rotated = Tokens.refresh();
        yoto.stubFor(tokenEndpoint().willReturn(okJson("{\"access_token\":\"" + Tokens.access() + "\",\"refresh_token\":\""
                + rotated + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + "}")));
        Instant before = Instant.now();

        startKeeper();

        Instant after = Instant.now();
        assertThat(tokenFileContent().strip()).isEqualTo(rotated);
        SessionSnapshot status = status();
        assertThat(status.state()).isEqualTo(SessionState.AUTHENTICATED);
        assertThat(status.consecutiveFailures()).isZero();
        if (lifetime == null) {
            assertThat(status.accessTokenExpiresAt()).as("unknown expiry, as when expires_in is absent").isNull();
        } else {
            assertThat(status.accessTokenExpiresAt()).isBetween(before.plus(lifetime), after.plus(lifetime));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"\"token_type\":{\"odd\":true}", "\"token_type\":[1,2]", "\"scope\":{\"a\":1}", "\"id_token\":42"})
    void anOddTextFieldInASuccessfulAnswerStillSavesTheRotatedToken(String oddField) throws Exception {
        writeTokenFile(Tokens.refresh());
        String rotated = Tokens.refresh();
        yoto.stubFor(tokenEndpoint().willReturn(okJson("{\"access_token\":\"" + Tokens.access() + "\",\"refresh_token\":\""
                + rotated + "\",\"expires_in\":3600," + oddField + "}")));

        startKeeper();

        assertThat(tokenFileContent().strip()).isEqualTo(rotated);
        assertThat(status().state()).isEqualTo(SessionState.AUTHENTICATED);
    }

    @ParameterizedTest(name = "access_token: {0}")
    @ValueSource(strings = {"absent", "{\"odd\":true}", "\"\""})
    void anAnswerWithoutAUsableAccessTokenFailsButKeepsTheRotatedRefreshTokenItCarries(String accessToken) throws Exception {
        writeTokenFile(Tokens.refresh());
        String rotated = Tokens.refresh();
        String access = accessToken.equals("absent") ? "" : "\"access_token\":" + accessToken + ",";
        yoto.stubFor(tokenEndpoint().willReturn(okJson("{" + access + "\"refresh_token\":\"" + rotated + "\",\"expires_in\":3600}")));

        startKeeper();

        assertThat(status().state()).isEqualTo(SessionState.REFRESH_FAILING);
        assertThat(status().lastError()).contains("has no access_token");
        assertThat(tokenFileContent().strip()).as("the server may have rotated: its new token is the only live one").isEqualTo(rotated);

        stubTokenAnswer(Tokens.access(), Tokens.refresh(), 3600);
        refreshNow();
        yoto.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("refresh_token=" + rotated)));
        assertThat(status().state()).isEqualTo(SessionState.AUTHENTICATED);
    }
}
