package io.github.yototokenkeeper.embed;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.yototokenkeeper.support.CapturedLogs;
import io.github.yototokenkeeper.support.HandClock;
import io.github.yototokenkeeper.support.KeeperMainTestSupport;
import io.github.yototokenkeeper.support.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The keeper inside a host's plain Camel context (no Camel Main, no main class of ours), next to the host's routes. */
class EmbeddedKeeperTest {

    @RegisterExtension
    static WireMockExtension yoto = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    private CamelContext context;
    /** Set before {@link #host}: the keeper's clock, moved by hand. */
    private HandClock clock;

    private Path tokenFile() {
        return dir.resolve("yoto-token");
    }

    static final String HOST_CREDENTIALS = "Basic aG9zdDpob3N0LXNlY3JldA==";

    /** The host's own routes: one that fails, one that asks for a token, one that takes the refresh notification. */
    static class HostRoutes extends RouteConfigurationBuilder {
        @Override
        public void configuration() {
            // the host's default error handling, with no id: it governs the host's routes
            routeConfiguration().onException(Exception.class).handled(true).to("mock:host-errors");
        }

        @Override
        public void configure() {
            from("direct:host-fails").routeId("host-fails").throwException(new IllegalStateException("the host's own failure"));
            from("direct:host-needs-token").routeId("host-needs-token").to(YotoEndpoints.ACCESS_TOKEN).to("mock:host-token");
            from(YotoEndpoints.TOKEN_REFRESHED).routeId("host-reconnect-mqtt").to("mock:refreshed");
            // reads the Yoto API, then calls the host's own service with the host's own credentials
            from("direct:host-library-to-own-service").routeId("host-library-to-own-service")
                    .setHeader("Authorization", constant(HOST_CREDENTIALS))
                    .setHeader("X-Host-Header", constant("kept"))
                    .setHeader(YotoEndpoints.API_PATH, constant("/card/family/library"))
                    .to(YotoEndpoints.API)
                    .to("mock:after-yoto-api")
                    .setHeader(org.apache.camel.Exchange.HTTP_METHOD, constant("POST"))
                    .toD("${header.X-Host-Service}");

        }
    }

    private CamelContext host(Properties extra) throws Exception {
        context = new DefaultCamelContext();
        if (clock != null) {
            context.getRegistry().bind(KeeperAssembly.CLOCK, clock);
        }
        Properties properties = new Properties();
        properties.put("yoto.keeper.client-id", KeeperMainTestSupport.CLIENT_ID);
        properties.put("yoto.keeper.token-file", tokenFile().toString());
        properties.put("yoto.keeper.token-url", yoto.baseUrl() + KeeperMainTestSupport.TOKEN_PATH);
        properties.put("yoto.keeper.expiry-check-seconds", "3600");
        properties.put("yoto.keeper.web-enabled", "false"); // a plain context has no HTTP server to join
        properties.putAll(extra);
        context.getPropertiesComponent().setInitialProperties(properties);
        HostRoutes hostRoutes = new HostRoutes();
        context.addRoutesConfigurations(hostRoutes);
        context.addRoutes(hostRoutes);
        context.addRoutes(new YotoTokenKeeper()); // the one line
        return context;
    }

    /**
     * Starts the host's context and waits until the refresh of the start-up tick (timer delay 0) has ended, so that it
     * cannot read a token file or meet a stub the test sets up afterwards.
     */
    private void startAndAwaitTheStartUpTick() {
        NotifyBuilder startRefresh = new NotifyBuilder(context).fromRoute("yoto-keeper-refresh").whenDone(1).create();
        context.start();
        assertThat(startRefresh.matches(15, TimeUnit.SECONDS)).as("the refresh of the start-up tick ended").isTrue();
    }

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
    }

    @Test
    void fiftyConcurrentCallersOnAnExpiredTokenShareOneRefresh() throws Exception {
        host(new Properties());
        startAndAwaitTheStartUpTick(); // no token file yet: the start-up tick finds nothing to refresh
        String refresh = Tokens.refresh();
        Files.writeString(tokenFile(), refresh);
        String access = Tokens.access();
        yoto.stubFor(post(urlPathEqualTo(KeeperMainTestSupport.TOKEN_PATH))
                .willReturn(okJson(KeeperMainTestSupport.tokenJson(access, Tokens.refresh(), 3600)).withFixedDelay(300)));

        ExecutorService callers = Executors.newFixedThreadPool(50);
        CountDownLatch go = new CountDownLatch(1);
        ProducerTemplate template = context.createProducerTemplate();
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            answers.add(callers.submit(() -> {
                go.await();
                return template.requestBody(YotoEndpoints.ACCESS_TOKEN, null, String.class);
            }));
        }
        go.countDown();
        Set<String> distinct = answers.stream().map(f -> {
            try {
                return f.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).collect(Collectors.toSet());
        callers.shutdown();

        yoto.verify(1, postRequestedFor(urlPathEqualTo(KeeperMainTestSupport.TOKEN_PATH)));
        assertThat(distinct).containsExactly(access);
    }

    @Test
    void aRefreshLeavesNothingOfItselfOnTheHostsExchange() throws Exception {
        host(new Properties());
        startAndAwaitTheStartUpTick(); // no token file yet: the start-up tick finds nothing to refresh
        String refresh = Tokens.refresh();
        Files.writeString(tokenFile(), refresh);
        yoto.stubFor(post(urlPathEqualTo(KeeperMainTestSupport.TOKEN_PATH))
                .willReturn(okJson(KeeperMainTestSupport.tokenJson(Tokens.access(), Tokens.refresh(), 3600))));

        org.apache.camel.Exchange hostExchange = context.createProducerTemplate().request(YotoEndpoints.ACCESS_TOKEN,
                exchange -> exchange.getMessage().setHeader("X-Host-Header", "kept"));

        assertThat(hostExchange.getException()).isNull();
        assertThat(hostExchange.getMessage().getHeader("X-Host-Header")).isEqualTo("kept");
        assertThat(hostExchange.getProperties().values()).noneMatch(value -> String.valueOf(value).contains(Tokens.MARKER + "-")
                && String.valueOf(value).startsWith("rt-"));
        assertThat(hostExchange.getProperties()).doesNotContainKey("yotoKeeperSentRefreshToken");
    }

    @Test
    void theYotoBearerTokenNeverReachesTheHostsOwnServiceAfterAYotoApiCall() throws Exception {
        String access = Tokens.access();
        Files.writeString(tokenFile(), Tokens.refresh());
        yoto.stubFor(post(urlPathEqualTo(KeeperMainTestSupport.TOKEN_PATH))
                .willReturn(okJson(KeeperMainTestSupport.tokenJson(access, Tokens.refresh(), 3600))));
        yoto.stubFor(get(urlPathEqualTo("/card/family/library")).willReturn(okJson("{\"cards\":[]}").withHeader("X-Yoto-Answer", "yes")));
        yoto.stubFor(post(urlPathEqualTo("/host-service")).willReturn(ok()));
        Properties api = new Properties();
        api.put("yoto.keeper.api-url", yoto.baseUrl());
        host(api);
        MockEndpoint afterApi = context.getEndpoint("mock:after-yoto-api", MockEndpoint.class);
        context.start();

        context.createProducerTemplate().sendBodyAndHeader("direct:host-library-to-own-service", null,
                "X-Host-Service", yoto.baseUrl() + "/host-service");

        yoto.verify(1, getRequestedFor(urlPathEqualTo("/card/family/library")).withHeader("Authorization", equalTo("Bearer " + access)));
        yoto.verify(1, postRequestedFor(urlPathEqualTo("/host-service")).withHeader("Authorization", equalTo(HOST_CREDENTIALS)));
        var afterCall = afterApi.getReceivedExchanges().get(0).getMessage().getHeaders();
        assertThat(afterCall).containsEntry("Authorization", HOST_CREDENTIALS).containsEntry("X-Host-Header", "kept")
                .containsEntry("X-Yoto-Answer", "yes"); // the answer's headers are added, as the README says
        assertThat(afterCall.values()).noneMatch(value -> String.valueOf(value).contains(Tokens.MARKER));
        assertThat(afterApi.getReceivedExchanges().get(0).getProperties().values())
                .noneMatch(value -> String.valueOf(value).contains(Tokens.MARKER));
    }

    @Test
    void a401RefreshesOnlyATokenAtLeastAMinuteOldThenRetriesOnce() throws Exception {
        clock = new HandClock(Instant.now());
        String first = Tokens.access();
        String second = Tokens.access();
        Files.writeString(tokenFile(), Tokens.refresh());
        yoto.stubFor(post(urlPathEqualTo(KeeperMainTestSupport.TOKEN_PATH)).inScenario("rotation").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(KeeperMainTestSupport.tokenJson(first, Tokens.refresh(), 3600))).willSetStateTo("second"));
        yoto.stubFor(post(urlPathEqualTo(KeeperMainTestSupport.TOKEN_PATH)).inScenario("rotation").whenScenarioStateIs("second")
                .willReturn(okJson(KeeperMainTestSupport.tokenJson(second, Tokens.refresh(), 3600))));
        yoto.stubFor(get(urlPathEqualTo("/me")).willReturn(aResponse().withStatus(401)));
        Properties api = new Properties();
        api.put("yoto.keeper.api-url", yoto.baseUrl());
        host(api);
        startAndAwaitTheStartUpTick();
        ProducerTemplate producer = context.createProducerTemplate();

        for (int i = 0; i < 3; i++) {
            org.apache.camel.Exchange answer = producer.request(YotoEndpoints.API, e -> e.getMessage().setHeader(YotoEndpoints.API_PATH, "/me"));
            assertThat(answer.getException()).as("call %d", i).isInstanceOfSatisfying(HttpOperationFailedException.class,
                    failed -> assertThat(failed.getStatusCode()).isEqualTo(401));
        }
        yoto.verify(1, postRequestedFor(urlPathEqualTo(KeeperMainTestSupport.TOKEN_PATH))); // the start-up refresh only
        yoto.verify(3, getRequestedFor(urlPathEqualTo("/me")).withHeader("Authorization", equalTo("Bearer " + first)));

        clock.advance(Duration.ofSeconds(61));
        org.apache.camel.Exchange answer = producer.request(YotoEndpoints.API, e -> e.getMessage().setHeader(YotoEndpoints.API_PATH, "/me"));

        assertThat(answer.getException()).isInstanceOf(HttpOperationFailedException.class);
        yoto.verify(2, postRequestedFor(urlPathEqualTo(KeeperMainTestSupport.TOKEN_PATH)));
        yoto.verify(4, getRequestedFor(urlPathEqualTo("/me")).withHeader("Authorization", equalTo("Bearer " + first)));
        yoto.verify(1, getRequestedFor(urlPathEqualTo("/me")).withHeader("Authorization", equalTo("Bearer " + second)));
    }

    @Test
    void aHostExchangeWithoutAuthorizationHasNoneAfterAYotoApiCall() throws Exception {
        Files.writeString(tokenFile(), Tokens.refresh());
        yoto.stubFor(post(urlPathEqualTo(KeeperMainTestSupport.TOKEN_PATH))
                .willReturn(okJson(KeeperMainTestSupport.tokenJson(Tokens.access(), Tokens.refresh(), 3600))));
        yoto.stubFor(get(urlPathEqualTo("/card/family/library")).willReturn(okJson("{\"cards\":[]}")));
        Properties api = new Properties();
        api.put("yoto.keeper.api-url", yoto.baseUrl());
        host(api);
        context.start();

        org.apache.camel.Exchange answer = context.createProducerTemplate().request(YotoEndpoints.API,
                exchange -> exchange.getMessage().setHeader(YotoEndpoints.API_PATH, "/card/family/library"));

        assertThat(answer.getException()).isNull();
        assertThat(answer.getMessage().getHeaders()).doesNotContainKey("Authorization");
        assertThat(answer.getMessage().getHeader(org.apache.camel.Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(200);
    }

    @Test
    void loginRequiredReachesTheHostsErrorHandlerAndTheHostsHandlerGovernsOnlyTheHostsRoutes() throws Exception {
        yoto.stubFor(post(urlPathEqualTo(KeeperMainTestSupport.TOKEN_PATH)).willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(500)));
        Files.writeString(tokenFile(), Tokens.refresh());
        host(new Properties());
        MockEndpoint hostErrors = context.getEndpoint("mock:host-errors", MockEndpoint.class);
        int mark = CapturedLogs.mark();
        NotifyBuilder startRefresh = new NotifyBuilder(context).fromRoute("yoto-keeper-refresh").whenDone(1).create();
        context.start();
        assertThat(startRefresh.matches(15, TimeUnit.SECONDS)).isTrue();

        // the keeper's failure was handled by the keeper (logged, survived), not by the host's handler
        assertThat(CapturedLogs.textSince(mark)).contains("Token refresh failed: the token endpoint answered HTTP 500");
        assertThat(hostErrors.getReceivedCounter()).isZero();

        // the host's failure goes to the host's handler
        context.createProducerTemplate().sendBody("direct:host-fails", null);
        assertThat(hostErrors.getReceivedCounter()).isEqualTo(1);

        // logged out: the dedicated exception reaches the host route's handler
        Files.delete(tokenFile());
        context.createProducerTemplate().sendBody("direct:yoto-keeper-refresh", null); // the next tick: nothing on disk
        context.createProducerTemplate().sendBody("direct:host-needs-token", null);
        assertThat(hostErrors.getReceivedCounter()).isEqualTo(2);
        Exception caught = hostErrors.getReceivedExchanges().get(1).getProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT, Exception.class);
        assertThat(caught).isInstanceOf(YotoLoginRequiredException.class).hasMessageContaining("log in on the keeper's page");
    }

    @Test
    void everyNewAccessTokenIsSentToTheHostsNotificationRoute() throws Exception {
        String access = Tokens.access();
        Files.writeString(tokenFile(), Tokens.refresh());
        yoto.stubFor(post(urlPathEqualTo(KeeperMainTestSupport.TOKEN_PATH))
                .willReturn(okJson(KeeperMainTestSupport.tokenJson(access, Tokens.refresh(), 3600))));
        host(new Properties());
        MockEndpoint refreshed = context.getEndpoint("mock:refreshed", MockEndpoint.class);
        refreshed.expectedBodiesReceived(access);

        context.start();

        refreshed.assertIsSatisfied(10_000);
        assertThat(refreshed.getReceivedExchanges().get(0).getMessage().getHeader(YotoEndpoints.ACCESS_TOKEN_EXPIRES_AT, Instant.class))
                .isAfter(Instant.now().plusSeconds(3500));
    }

    @Test
    void ourRoutesEndpointsAndBeansCarryThePrefixAndTheWebRoutesCanBeSwitchedOff() throws Exception {
        Properties noWeb = new Properties();
        noWeb.put("yoto.keeper.web-enabled", "false");
        host(noWeb);
        context.start();
        List<String> ours = context.getRoutes().stream().map(Route::getRouteId).filter(id -> !id.startsWith("host-")).toList();
        assertThat(ours).isNotEmpty().allSatisfy(id -> assertThat(id).startsWith("yoto-keeper-"));
        assertThat(ours).noneMatch(id -> id.startsWith("yoto-keeper-web-"));
        // every in-process endpoint of ours is named yoto-...; the host's are its own
        assertThat(context.getEndpoints().stream().map(e -> e.getEndpointUri())
                .filter(uri -> uri.matches("(direct|seda|timer)://.*") && !uri.startsWith("direct://host-")))
                .isNotEmpty().allSatisfy(uri -> assertThat(uri).matches("(direct|seda|timer)://yoto-.*"));
    }

    @Test
    void withPlatformHttpTheWebRoutesJoinTheHostsServerUnderAPrefix() throws Exception {
        Properties auto = new Properties();
        auto.put("yoto.keeper.web-enabled", "auto"); // platform-http is on this classpath
        host(auto);
        List<String> webInputs = ((org.apache.camel.model.ModelCamelContext) context).getRouteDefinitions().stream()
                .filter(route -> route.getRouteId().startsWith("yoto-keeper-web-"))
                .map(route -> route.getInput().getEndpointUri()).toList();
        assertThat(webInputs).isNotEmpty().allSatisfy(uri -> assertThat(uri).matches("platform-http:/yoto-keeper/.*|direct:yoto-keeper-web-answer"));
        context = null; // never started: there is no HTTP server in this plain context
    }

    @Test
    void addingTheKeeperTwiceIsRefusedClearly() throws Exception {
        host(new Properties());
        assertThatThrownBy(() -> context.addRoutes(new YotoTokenKeeper()))
                .hasStackTraceContaining("yoto-token-keeper is already set up in the Camel context");
    }
}
