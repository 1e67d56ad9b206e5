package io.github.yototokenkeeper.token;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.github.yototokenkeeper.support.CapturedLogs;
import io.github.yototokenkeeper.support.FastRetryGate;
import io.github.yototokenkeeper.support.KeeperMainTestSupport;
import io.github.yototokenkeeper.support.Tokens;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The keeper route end to end: real Main, WireMock as the token endpoint, a real token file. */
class KeeperRefreshTest extends KeeperMainTestSupport {

    /** Holds the fast retries after a lost answer ("timeout", "connection reset") where a test counts requests. */
    private FastRetryGate fastRetries;

    @AfterEach
    void openFastRetries() {
        if (fastRetries != null) {
            fastRetries.open();
        }
    }

    @Test
    void refreshAtStartSendsTheGrantYotoExpectsAndSavesTheRotatedToken() throws Exception {
        String oldToken = Tokens.refresh();
        String newToken = Tokens.refresh();
        writeTokenFile(oldToken);
        stubTokenAnswer(Tokens.access(), newToken, 86_400);
        int mark = CapturedLogs.mark();
        Instant before = Instant.now();

        startKeeper();

        yoto.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH))
                .withHeader("Content-Type", equalTo("application/x-www-form-urlencoded; charset=UTF-8"))
                .withFormParam("grant_type", equalTo("refresh_token"))
                .withFormParam("client_id", equalTo(CLIENT_ID))
                .withFormParam("refresh_token", equalTo(oldToken))
                .withFormParam("audience", equalTo("https://api.yotoplay.com")));
        assertThat(yoto.getAllServeEvents().get(0).getRequest().getBodyAsString().split("&")).hasSize(4);
        assertThat(tokenFileContent().strip()).isEqualTo(newToken);
        assertThat(Files.getPosixFilePermissions(tokenFile())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        SessionSnapshot status = status();
        assertThat(status.state()).isEqualTo(SessionState.AUTHENTICATED);
        assertThat(status.accessTokenExpiresAt()).isBetween(before.plusSeconds(86_400), Instant.now().plusSeconds(86_400));
        assertThat(status.lastRefreshAt()).isAfterOrEqualTo(before);
        assertThat(status.nextRefreshAt()).isAfter(before.plus(Duration.ofHours(11)));
        assertThat(CapturedLogs.textSince(mark))
                .contains("Starting background token refresh task (every 12 hours)")
                .contains("Performing scheduled token refresh...")
                .contains("Token refresh successful (access token valid until " + status.accessTokenExpiresAt());
        try (var leftovers = Files.list(tempDir())) {
            assertThat(leftovers).containsExactly(tokenFile());
        }
    }

    @Test
    void answerWithoutRefreshTokenKeepsTheOldOne() throws Exception {
        String token = Tokens.refresh();
        writeTokenFile(token + "\n");
        stubTokenAnswer(Tokens.access(), null, 3600);

        startKeeper();
        refreshNow();

        yoto.verify(2, postRequestedFor(urlPathEqualTo(TOKEN_PATH)).withFormParam("refresh_token", equalTo(token)));
        assertThat(tokenFileContent()).isEqualTo(token + "\n");
        assertThat(status().state()).isEqualTo(SessionState.AUTHENTICATED);
    }

    @Test
    void pythonServiceTokenFileWithTrailingNewlineIsReadTrimmed() throws Exception {
        String token = Tokens.refresh();
        writeTokenFile("  " + token + "\r\n\n");
        stubTokenAnswer(Tokens.access(), Tokens.refresh(), 3600);

        startKeeper();

        yoto.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH)).withFormParam("refresh_token", equalTo(token)));
    }

    static Stream<Arguments> transientFailures() {
        Supplier<ResponseDefinitionBuilder> html = () -> aResponse().withStatus(200).withHeader("Content-Type", "text/html")
                .withBody("<html><body>Gateway says hello</body></html>");
        return Stream.of(
                Arguments.of("HTTP 500", aResponse().withStatus(500).withBody("oops"), "the token endpoint answered HTTP 500"),
                Arguments.of("HTTP 503", aResponse().withStatus(503).withHeader("Retry-After", "120"), "the token endpoint answered HTTP 503"),
                Arguments.of("timeout", aResponse().withFixedDelay(4_000).withBody("{}"), "did not answer in time"),
                Arguments.of("connection reset", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), "Connection reset"),
                Arguments.of("non-JSON body", html.get(), "(HTTP 200) is not the JSON of a token response"),
                Arguments.of("empty body", aResponse().withStatus(200), "(HTTP 200) is not the JSON of a token response"),
                Arguments.of("JSON without access_token", aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"token_type\":\"Bearer\",\"expires_in\":3600}"), "has no access_token"),
                Arguments.of("JSON array", aResponse().withStatus(200).withBody("[1,2]"), "is not the JSON of a token response"),
                Arguments.of("unknown OAuth error", aResponse().withStatus(400).withBody("{\"error\":\"temporarily_unavailable\"}"),
                        "HTTP 400 temporarily_unavailable"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transientFailures")
    void transientFailureIsLoggedAndSurvivedAndTheNextTickSucceeds(String name, ResponseDefinitionBuilder failure, String reason)
            throws Exception {
        String token = Tokens.refresh();
        String rotated = Tokens.refresh();
        writeTokenFile(token);
        yoto.stubFor(tokenEndpoint().willReturn(failure));
        int mark = CapturedLogs.mark();
        // a lost answer ("timeout", "connection reset") is also retried 2 s later, and every 2 s for 30 s: held here,
        // so that the one request counted below is the next tick's, whenever the test gets there
        fastRetries = FastRetryGate.install(context);

        startKeeper();

        assertThat(CapturedLogs.textSince(mark)).contains("Token refresh failed: ").contains(reason)
                .contains("Tokens may expire if this goes on");
        assertThat(tokenFileContent()).isEqualTo(token);
        assertThat(status().state()).isEqualTo(SessionState.REFRESH_FAILING);
        assertThat(status().consecutiveFailures()).isEqualTo(1);
        assertThat(status().lastError()).contains(reason);
        assertThat(context.getRouteController().getRouteStatus("yoto-keeper-refresh")).isEqualTo(ServiceStatus.Started);
        assertThat(context.getRouteController().getRouteStatus("yoto-keeper-schedule")).isEqualTo(ServiceStatus.Started);

        yoto.resetAll();
        stubTokenAnswer(Tokens.access(), rotated, 3600);
        refreshNow();

        yoto.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH)).withFormParam("refresh_token", equalTo(token)));
        assertThat(tokenFileContent().strip()).isEqualTo(rotated);
        assertThat(status().state()).isEqualTo(SessionState.AUTHENTICATED);
        assertThat(status().consecutiveFailures()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"invalid_grant", "invalid_client", "unauthorized_client"})
    void permanentErrorMeansReloginNoFurtherCallsAndTheFileIsKept(String error) throws Exception {
        String token = Tokens.refresh();
        writeTokenFile(token);
        stubTokenError(error.equals("invalid_grant") ? 400 : 401, error);
        int mark = CapturedLogs.mark();

        startKeeper();
        refreshNow();
        refreshNow();

        yoto.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
        assertThat(status().state()).isEqualTo(SessionState.REAUTH_REQUIRED);
        assertThat(status().lastError()).contains(error);
        assertThat(tokenFileContent()).isEqualTo(token);
        assertThat(CapturedLogs.since(mark)).anySatisfy(line -> {
            assertThat(line.level()).isEqualTo("ERROR");
            assertThat(line.text()).contains("Token refresh failed: the token endpoint answered HTTP").contains(error)
                    .contains("Re-login needed");
        });
    }

    @Test
    void invalidGrantIsPermanentWhateverTheStatus() throws Exception {
        writeTokenFile(Tokens.refresh());
        stubTokenError(403, "invalid_grant");

        startKeeper();

        assertThat(status().state()).isEqualTo(SessionState.REAUTH_REQUIRED);
    }

    @Test
    void aNewTokenInTheFileEndsReloginNeeded() throws Exception {
        writeTokenFile(Tokens.refresh());
        stubTokenError(400, "invalid_grant");
        startKeeper();
        assertThat(status().state()).isEqualTo(SessionState.REAUTH_REQUIRED);

        String fresh = Tokens.refresh();
        writeTokenFile(fresh);
        yoto.resetAll();
        stubTokenAnswer(Tokens.access(), Tokens.refresh(), 3600);
        refreshNow();

        yoto.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH)).withFormParam("refresh_token", equalTo(fresh)));
        assertThat(status().state()).isEqualTo(SessionState.AUTHENTICATED);
    }

    @ParameterizedTest(name = "token file: [{0}]")
    @ValueSource(strings = {"<absent>", "", " \n\n"})
    void noTokenMeansTheTickIsSkippedWithoutACall(String content) throws Exception {
        if (!content.equals("<absent>")) {
            writeTokenFile(content);
        }
        stubTokenAnswer(Tokens.access(), Tokens.refresh(), 3600);
        int mark = CapturedLogs.mark();

        startKeeper();
        refreshNow();

        yoto.verify(0, postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
        assertThat(status().state()).isEqualTo(SessionState.LOGGED_OUT);
        assertThat(CapturedLogs.since(mark)).anySatisfy(line -> {
            assertThat(line.level()).isEqualTo("INFO");
            assertThat(line.text()).contains("Not authenticated: no refresh token in " + tokenFile());
        });
        assertThat(Files.exists(tokenFile())).isEqualTo(!content.equals("<absent>"));
    }

    @Test
    void unreadableTokenFileIsAFailureNotLoggedOut() throws Exception {
        Files.createDirectory(tokenFile()); // exists, but cannot be read as a file
        int mark = CapturedLogs.mark();

        startKeeper();

        yoto.verify(0, postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
        assertThat(status().state()).isEqualTo(SessionState.REFRESH_FAILING);
        assertThat(CapturedLogs.textSince(mark)).contains("Token refresh failed: Cannot read token file " + tokenFile());
        assertThat(Files.isDirectory(tokenFile())).isTrue();
    }

    @Test
    void tokenFilesOthersCanReadAreMadeOwnerOnlyAtStartWithAWarning() throws Exception {
        writeTokenFile(Tokens.refresh());
        Files.setPosixFilePermissions(tokenFile(), PosixFilePermissions.fromString("rw-r--r--"));
        var shared = tempDir().resolve(".yoto_access_token");
        Files.writeString(shared, "{}");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-r-----"));
        stubTokenError(400, "invalid_grant"); // the file is not replaced at start: only the tightening changes its mode
        int mark = CapturedLogs.mark();

        startKeeper();

        assertThat(Files.getPosixFilePermissions(tokenFile())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(shared)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(CapturedLogs.since(mark)).anySatisfy(line -> {
            assertThat(line.level()).isEqualTo("WARN");
            assertThat(line.text()).isEqualTo("Token file " + tokenFile() + " was readable by others (rw-r--r--): now rw------- (owner only)");
        }).anySatisfy(line -> {
            assertThat(line.level()).isEqualTo("WARN");
            assertThat(line.text()).isEqualTo("Shared access token file " + shared + " was readable by others (rw-r-----): now rw------- (owner only)");
        });
    }

    @Test
    void aShortLivedAccessTokenIsRefreshedAtItsDueMomentNotAtTheNextExpiryCheck() throws Exception {
        // a 10 s access token: the early-refresh margin (5 min) is longer, so it is refreshed half-way, at 5 s. The expiry
        // check runs every hour here: only a wake-up at the due moment brings the refresh before the token lapses.
        String first = Tokens.refresh();
        String second = Tokens.refresh();
        writeTokenFile(first);
        yoto.stubFor(tokenEndpoint().inScenario("short").whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(tokenJson(Tokens.access(), second, 10)))
                .willSetStateTo("long"));
        yoto.stubFor(tokenEndpoint().inScenario("short").whenScenarioStateIs("long")
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(tokenJson(Tokens.access(), Tokens.refresh(), 86_400))));
        org.apache.camel.builder.NotifyBuilder twoRefreshes = new org.apache.camel.builder.NotifyBuilder(context).fromRoute("yoto-keeper-refresh")
                .filter(exchange -> exchange.getProperty(RefreshAttempt.PROPERTY, RefreshAttempt.class).isRefreshed()).whenDone(2).create();

        startKeeper();

        assertThat(twoRefreshes.matches(30, java.util.concurrent.TimeUnit.SECONDS)).as("a second refresh came").isTrue();
        var requests = yoto.findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
        assertThat(requests).hasSize(2);
        assertThat(requests.get(1).getBodyAsString()).contains(second);
        Duration gap = Duration.between(requests.get(0).getLoggedDate().toInstant(), requests.get(1).getLoggedDate().toInstant());
        assertThat(gap).as("half-way through the token's life, and before it lapsed").isBetween(Duration.ofMillis(4500), Duration.ofSeconds(10));
    }
}
