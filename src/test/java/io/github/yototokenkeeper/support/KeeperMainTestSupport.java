package io.github.yototokenkeeper.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.yototokenkeeper.embed.YotoTokenKeeper;
import io.github.yototokenkeeper.embed.KeeperAssembly;
import io.github.yototokenkeeper.token.TokenRefreshRoutes;
import io.github.yototokenkeeper.token.TokenSession;
import io.github.yototokenkeeper.token.SessionSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Comparator;
import java.util.stream.Stream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.AfterEach;

/**
 * Boots the real Camel Main of the service, with its packaged application.properties, against WireMock playing the
 * Yoto login server and a token file in a fresh temporary directory. The context is started by the test
 * ({@link #startKeeper()}) so that it can prepare the token file and stubs first.
 */
public abstract class KeeperMainTestSupport extends CamelMainTestSupport {

    public static final String TOKEN_PATH = "/oauth/token";
    public static final String CLIENT_ID = "test-client-id";

    @RegisterExtension
    protected static WireMockExtension yoto = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort()).build();

    // Camel's test support reads the properties from its constructor, before field initialisers run: these two are
    // created on first use and must have no initialiser.
    private Path tempDir;
    private int httpPort;

    /** A fresh directory for this test's token file, removed after the test. */
    protected Path tempDir() {
        if (tempDir == null) {
            try {
                tempDir = Files.createTempDirectory("yoto-keeper-test");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tempDir;
    }

    protected int httpPort() {
        if (httpPort == 0) {
            httpPort = AvailablePortFinder.getNextAvailable();
        }
        return httpPort;
    }

    @AfterEach
    void removeTempDir() throws IOException {
        if (tempDir != null && Files.exists(tempDir)) {
            try (Stream<Path> files = Files.walk(tempDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    /** The keeper is added exactly as the standalone service and host applications add it. */
    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.addConfiguration(new org.apache.camel.CamelConfiguration() {
            @Override
            public void configure(org.apache.camel.CamelContext camelContext) {
                keeperBeans(camelContext.getRegistry());
            }
        });
        configuration.addRoutesBuilder(new YotoTokenKeeper());
    }

    /** Beans the keeper looks for before it is set up (a clock, the mount points); none by default. */
    protected void keeperBeans(org.apache.camel.spi.Registry registry) {
    }

    @Override
    protected String getPropertyPlaceholderLocations() {
        return "classpath:application.properties";
    }

    @Override
    public boolean isUseAdviceWith() {
        return true; // the test starts the context, after preparing the token file and the stubs
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties properties = new Properties();
        properties.put("yoto.keeper.client-id", CLIENT_ID);
        properties.put("yoto.keeper.token-file", tokenFile().toString());
        properties.put("yoto.keeper.token-url", yoto.baseUrl() + TOKEN_PATH);
        properties.put("yoto.keeper.device-code-url", yoto.baseUrl() + "/oauth/device/code");
        properties.put("yoto.keeper.http-timeout-seconds", "2");
        properties.put("yoto.keeper.expiry-check-seconds", "3600");
        properties.put("camel.server.port", String.valueOf(httpPort()));
        properties.put("camel.server.host", "127.0.0.1");
        keeperProperties(properties);
        return properties;
    }

    /** Per-class settings on top of the defaults above. */
    protected void keeperProperties(Properties properties) {
    }

    protected Path tokenFile() {
        return tempDir().resolve(".yoto_refresh_token");
    }

    protected void writeTokenFile(String content) throws IOException {
        Files.writeString(tokenFile(), content);
    }

    protected String tokenFileContent() throws IOException {
        return Files.readString(tokenFile());
    }

    /** Starts the service and waits for the refresh attempt it makes at start to end. */
    protected void startKeeper() {
        NotifyBuilder startRefresh = new NotifyBuilder(context).fromRoute("yoto-keeper-refresh").whenDone(1).create();
        context.start();
        assertThat(startRefresh.matches(15, TimeUnit.SECONDS)).as("the refresh at start ended").isTrue();
    }

    /** What a timer tick does: ask for a refresh and wait until the attempt that answers it has ended. */
    protected void refreshNow() {
        template.sendBody(TokenRefreshRoutes.REFRESH, null);
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A real HTTP request to the running platform-http server; {@code headers} are name, value pairs. */
    /** Logged in, started (the start refreshes once, for a token valid an hour), and its {@code /metrics}: 200. */
    protected HttpResponse<String> metricsAfterTheStartsRefresh() throws IOException {
        writeTokenFile(Tokens.refresh());
        stubTokenAnswer(Tokens.access(), Tokens.refresh(), 3600);
        startKeeper();
        HttpResponse<String> metrics = http("GET", "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        return metrics;
    }

    protected HttpResponse<String> http(String method, String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected SessionSnapshot status() {
        return session().snapshot();
    }

    protected TokenSession session() {
        return context.getRegistry().lookupByNameAndType(KeeperAssembly.SESSION, TokenSession.class);
    }

    protected static MappingBuilder tokenEndpoint() {
        return post(urlPathEqualTo(TOKEN_PATH));
    }

    public static String tokenJson(String accessToken, String refreshToken, long expiresIn) {
        return "{\"access_token\":\"" + accessToken + "\","
                + (refreshToken == null ? "" : "\"refresh_token\":\"" + refreshToken + "\",")
                + "\"token_type\":\"Bearer\",\"scope\":\"profile offline_access\",\"expires_in\":" + expiresIn + "}";
    }

    protected static void stubTokenAnswer(String accessToken, String refreshToken, long expiresIn) {
        yoto.stubFor(tokenEndpoint().willReturn(okJson(tokenJson(accessToken, refreshToken, expiresIn))));
    }

    protected static void stubTokenError(int status, String error) {
        yoto.stubFor(tokenEndpoint().willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"" + error + "\",\"error_description\":\"described by the server\"}")));
    }
}
