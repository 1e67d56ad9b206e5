package com.example.yotohost;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The host application with the keeper inside it: WireMock plays Yoto's login server and the Yoto API. */
class FamilyLibraryTest extends CamelMainTestSupport {

    @RegisterExtension
    static WireMockExtension yoto = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String LIBRARY = "/card/family/library";

    // created on first use: Camel's test support reads the properties from its constructor, before initialisers run
    private Path tokenFile;

    /** The real time, plus whatever the test moved it forward: the access token expires without the test waiting. */
    static final class MovableClock extends Clock {
        private volatile Duration offset = Duration.ZERO;

        void advance(Duration duration) {
            offset = offset.plus(duration);
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private Path tokenFile() {
        if (tokenFile == null) {
            try {
                tokenFile = Files.createTempDirectory("family-library").resolve(".yoto_refresh_token");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tokenFile;
    }

    @Override
    protected Class<?> getMainClass() {
        return FamilyLibraryApp.class;
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties properties = new Properties();
        properties.put("yoto.keeper.client-id", "host-client");
        properties.put("yoto.keeper.token-file", tokenFile().toString());
        properties.put("yoto.keeper.token-url", yoto.baseUrl() + "/oauth/token");
        properties.put("yoto.keeper.api-url", yoto.baseUrl());
        properties.put("yoto.keeper.expiry-check-seconds", "3600");
        properties.put("library.delay-ms", "3600000"); // the test reads the library itself
        return properties;
    }

    /** Binds a fresh movable clock before the routes are added, so that the keeper finds it when it is set up. */
    public static class ClockConfiguration implements CamelConfiguration {
        static volatile MovableClock current;

        @Override
        public void configure(CamelContext context) {
            current = new MovableClock();
            context.getRegistry().bind("yotoKeeperClock", current);
        }
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.addConfiguration(ClockConfiguration.class);
    }

    @Override
    public boolean isUseAdviceWith() {
        return true; // the test starts the context once the token file and the stubs are ready
    }

    private static String tokens(String access, String refresh) {
        return "{\"access_token\":\"" + access + "\",\"refresh_token\":\"" + refresh + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}";
    }

    private void startWithToken(String accessAtStart) throws Exception {
        Files.writeString(tokenFile(), "refresh-1");
        yoto.stubFor(post(urlPathEqualTo("/oauth/token")).inScenario("tokens").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(tokens(accessAtStart, "refresh-2"))).willSetStateTo("second"));
        yoto.stubFor(post(urlPathEqualTo("/oauth/token")).inScenario("tokens").whenScenarioStateIs("second")
                .willReturn(okJson(tokens("access-B", "refresh-3"))).willSetStateTo("third"));
        NotifyBuilder startRefresh = new NotifyBuilder(context).fromRoute("yoto-keeper-refresh").whenDone(1).create();
        context.start();
        assertThat(startRefresh.matches(15, TimeUnit.SECONDS)).isTrue();
    }

    private Object readLibrary() {
        return template.requestBody("direct:family-library", (Object) null);
    }

    @Test
    void theKeepersJarLeavesTheHostsLoggingAndSettingsAlone() throws Exception {
        Path keeperJar = Path.of(Class.forName("io.github.yototokenkeeper.embed.YotoTokenKeeper")
                .getProtectionDomain().getCodeSource().getLocation().toURI());
        try (JarFile jar = new JarFile(keeperJar.toFile())) {
            // the standalone service's logging set-up (a logback service) and files are in its fat jar only
            assertThat(jar.getEntry("META-INF/services/ch.qos.logback.classic.spi.Configurator")).isNull();
            assertThat(jar.getEntry("logback.xml")).isNull();
            assertThat(jar.getEntry("application.properties")).isNull();
        }
    }

    @Test
    void theHostRouteCallsTheYotoApiWithTheBearerToken() throws Exception {
        yoto.stubFor(get(urlPathEqualTo(LIBRARY)).willReturn(okJson("{\"cards\":[{\"title\":\"Bedtime stories\"}]}")));
        startWithToken("access-A");

        Object library = readLibrary();

        assertThat(library).isInstanceOf(Map.class);
        yoto.verify(1, getRequestedFor(urlPathEqualTo(LIBRARY)).withHeader("Authorization", equalTo("Bearer access-A")));
    }

    @Test
    void anExpiredAccessTokenIsRefreshedBeforeUse() throws Exception {
        yoto.stubFor(get(urlPathEqualTo(LIBRARY)).willReturn(okJson("{\"cards\":[]}")));
        startWithToken("access-A");

        ClockConfiguration.current.advance(Duration.ofHours(2)); // access-A expired an hour ago
        readLibrary();

        yoto.verify(2, postRequestedFor(urlPathEqualTo("/oauth/token")));
        yoto.verify(1, getRequestedFor(urlPathEqualTo(LIBRARY)).withHeader("Authorization", equalTo("Bearer access-B")));
        yoto.verify(0, getRequestedFor(urlPathEqualTo(LIBRARY)).withHeader("Authorization", equalTo("Bearer access-A")));
        assertThat(Files.readString(tokenFile()).strip()).isEqualTo("refresh-3");
    }

    /** A 401 on a token at least a minute old (a younger one is not fixed by refreshing again) refreshes it once. */
    @Test
    void a401TriggersOneRefreshAndOneRetry() throws Exception {
        yoto.stubFor(get(urlPathEqualTo(LIBRARY)).withHeader("Authorization", equalTo("Bearer access-A"))
                .willReturn(aResponse().withStatus(401)));
        yoto.stubFor(get(urlPathEqualTo(LIBRARY)).withHeader("Authorization", equalTo("Bearer access-B"))
                .willReturn(okJson("{\"cards\":[]}")));
        startWithToken("access-A");
        ClockConfiguration.current.advance(Duration.ofMinutes(2));

        Object library = readLibrary();

        assertThat(library).isInstanceOf(Map.class);
        yoto.verify(2, getRequestedFor(urlPathEqualTo(LIBRARY)));
        yoto.verify(2, postRequestedFor(urlPathEqualTo("/oauth/token")));
    }

    @Test
    void aSecond401IsNotRetriedAgainAndTheHostsErrorHandlerDecides() throws Exception {
        yoto.stubFor(get(urlPathEqualTo(LIBRARY)).willReturn(aResponse().withStatus(401)));
        startWithToken("access-A");
        ClockConfiguration.current.advance(Duration.ofMinutes(2));

        Object library = readLibrary();

        assertThat(library).isEqualTo("unavailable");
        yoto.verify(2, getRequestedFor(urlPathEqualTo(LIBRARY)));
    }

    @Test
    void theHostsOwnErrorHandlerStillGovernsTheHostsRoutes() throws Exception {
        yoto.stubFor(get(urlPathEqualTo(LIBRARY)).willReturn(aResponse().withStatus(500)));
        startWithToken("access-A");

        Object library = readLibrary();

        assertThat(library).as("the host's onException handled it").isEqualTo("unavailable");
        yoto.verify(1, postRequestedFor(urlPathEqualTo("/oauth/token"))); // a 500 is not a reason to refresh
    }
}
