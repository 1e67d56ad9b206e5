package io.github.yototokenkeeper.token;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.yototokenkeeper.support.KeeperMainTestSupport;
import io.github.yototokenkeeper.support.Tokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.Test;

/** Early refresh before the access token lapses, and shutdown. */
class LifecycleTest extends KeeperMainTestSupport {

    @Override
    protected void keeperProperties(Properties properties) {
        properties.put("TOKEN_EARLY_REFRESH_SECONDS", "1");
        properties.put("yoto.keeper.expiry-check-seconds", "1");
    }

    @Test
    void aShortLivedAccessTokenIsRefreshedBeforeItLapses() throws Exception {
        String first = Tokens.refresh();
        String second = Tokens.refresh();
        String third = Tokens.refresh();
        writeTokenFile(first);
        // a 3-second access token (margin 1 s): the keeper must refresh at about 2 s, long before the 12-hour tick
        yoto.stubFor(tokenEndpoint().inScenario("rotation").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(tokenJson(Tokens.access(), second, 3))).willSetStateTo("second"));
        yoto.stubFor(tokenEndpoint().inScenario("rotation").whenScenarioStateIs("second")
                .willReturn(okJson(tokenJson(Tokens.access(), third, 86_400))).willSetStateTo("third"));
        NotifyBuilder twoRefreshes = new NotifyBuilder(context).fromRoute("yoto-keeper-refresh")
                .filter(exchange -> exchange.getProperty(RefreshAttempt.PROPERTY, RefreshAttempt.class).isRefreshed()).whenDone(2).create();

        startKeeper();

        assertThat(twoRefreshes.matches(10, TimeUnit.SECONDS)).as("an early refresh happened").isTrue();
        List<LoggedRequest> requests = yoto.findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).getBodyAsString()).contains(first);
        assertThat(requests.get(1).getBodyAsString()).contains(second);
        Duration gap = Duration.between(requests.get(0).getLoggedDate().toInstant(), requests.get(1).getLoggedDate().toInstant());
        // never before the margin (a 3 s token with a 1 s margin is due 2 s after the first answer); above, only the
        // 10 s the NotifyBuilder already waited for it (far before the 12-hour tick: the refresh came early): a
        // tighter bound would time the machine's load, not the keeper
        assertThat(gap).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(10));
        assertThat(tokenFileContent().strip()).isEqualTo(third);
    }

    @Test
    void aStoppedKeeperLeavesNoThreadOfItsOwnBehind() throws Exception {
        // a 2 s access token: a wake-up is planned for 1 s from now when the keeper stops
        writeTokenFile(Tokens.refresh());
        stubTokenAnswer(Tokens.access(), Tokens.refresh(), 2);
        startKeeper();
        assertThat(session().nextWakeUp()).isPresent();
        assertThat(keeperThreads()).as("the wake-ups, the queues and the timers run").isNotEmpty();
        int mark = io.github.yototokenkeeper.support.CapturedLogs.mark();

        context.stop();

        assertThat(io.github.yototokenkeeper.support.CapturedLogs.textSince(mark)).as("nothing held the stop up")
                .doesNotContain("Timeout occurred").doesNotContain("Forced shutdown").doesNotContain("Waited");

        // a host application that stops its context must not keep a thread of the keeper alive (nor its wake-up)
        Instant deadline = Instant.now().plusSeconds(10);
        while (!keeperThreads().isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(50); // threads end on their own after the stop: nothing to await on
        }
        assertThat(keeperThreads()).isEmpty();
    }

    private static List<String> keeperThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.contains("yoto-keeper")).toList();
    }

    @Test
    void aRefreshInFlightAtShutdownCompletesAndSavesTheRotatedToken() throws Exception {
        String token = Tokens.refresh();
        String rotated = Tokens.refresh();
        writeTokenFile(token);
        stubTokenAnswer(Tokens.access(), Tokens.refresh(), 86_400);
        startKeeper();
        String current = tokenFileContent().strip();

        // the server takes a second to answer; shutdown begins while the request is on its way
        CountDownLatch requestSending = new CountDownLatch(1);
        context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.ExchangeSendingEvent sending && sending.getEndpoint().getEndpointUri().contains(TOKEN_PATH)) {
                    requestSending.countDown();
                }
            }
        });
        yoto.resetAll();
        yoto.stubFor(tokenEndpoint().willReturn(okJson(tokenJson(Tokens.access(), rotated, 86_400)).withFixedDelay(1000)));
        CompletableFuture<Void> refresh = CompletableFuture.runAsync(this::refreshNow);
        assertThat(requestSending.await(10, TimeUnit.SECONDS)).isTrue();

        context.stop();

        refresh.get(10, TimeUnit.SECONDS);
        yoto.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH)).withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing(current)));
        assertThat(tokenFileContent().strip()).isEqualTo(rotated);
    }

    @Test
    void aCleanStartLogsNoWarningAndNoError() throws Exception {
        writeTokenFile(Tokens.refresh());
        java.nio.file.Files.setPosixFilePermissions(tokenFile(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        stubTokenAnswer(Tokens.access(), Tokens.refresh(), 86_400);
        int mark = io.github.yototokenkeeper.support.CapturedLogs.mark();
        NotifyBuilder notified = new NotifyBuilder(context).fromRoute("yoto-keeper-token-refreshed").whenDone(1).create();

        startKeeper();
        assertThat(notified.matches(10, TimeUnit.SECONDS)).as("the host notification went out").isTrue();
        http("GET", "/metrics");

        assertThat(io.github.yototokenkeeper.support.CapturedLogs.since(mark))
                .filteredOn(line -> !line.logger().toLowerCase(java.util.Locale.ROOT).startsWith("wiremock"))
                .filteredOn(line -> line.level().equals("WARN") || line.level().equals("ERROR"))
                .isEmpty();
    }

    @Test
    void aStopDoesNotWaitForLoginPollLoopsStillWaiting() throws Exception {
        yoto.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/oauth/device/code")).willReturn(okJson(
                "{\"device_code\":\"dc-" + Tokens.MARKER + "\",\"user_code\":\"WAIT-LONG\",\"verification_uri\":"
                        + "\"https://login.example/activate\",\"expires_in\":600,\"interval\":30}")));
        startKeeper();
        // two loops wait 30 s for their first poll: one replaced by the second login, one current
        assertThat(http("POST", "/auth/device/start").statusCode()).isEqualTo(200);
        assertThat(http("POST", "/auth/device/start").statusCode()).isEqualTo(200);
        int mark = io.github.yototokenkeeper.support.CapturedLogs.mark();

        long started = System.nanoTime();
        context.stop();
        Duration stop = Duration.ofNanos(System.nanoTime() - started);

        // a generous bound, far below the 30 s the loops would wait and the test's 10 s shutdown timeout (about 1 s here)
        assertThat(stop).isLessThan(Duration.ofSeconds(8));
        assertThat(io.github.yototokenkeeper.support.CapturedLogs.textSince(mark)).doesNotContain("Timeout occurred");
        yoto.verify(0, postRequestedFor(urlPathEqualTo(TOKEN_PATH)).withRequestBody(
                com.github.tomakehurst.wiremock.client.WireMock.containing("device_code")));
    }
}
