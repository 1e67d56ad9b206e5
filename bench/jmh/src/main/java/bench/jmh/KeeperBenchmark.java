package bench.jmh;

import com.sun.net.httpserver.HttpServer;
import io.github.yototokenkeeper.embed.YotoEndpoints;
import io.github.yototokenkeeper.embed.YotoTokenKeeper;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.entity.UrlEncodedFormEntity;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.message.BasicNameValuePair;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The keeper embedded in a plain Camel context (as a host application has it), a token file with a refresh token and
 * an in-process stand-in token server that rotates on every grant.
 * <ul>
 * <li>{@code accessToken}: {@code direct:yoto-access-token} with a valid access token, what a host route pays per call;
 * <li>{@code refresh}: one whole refresh through the keeper (queue, grant, camel-http, JSON, the token file written and
 * fsynced, the session updated);
 * <li>{@code rawRoundTrip}: the same POST to the same server with a plain Apache HttpClient, nothing else. The refresh
 * overhead is {@code refresh - rawRoundTrip}.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class KeeperBenchmark {

    private HttpServer server;
    private Path directory;
    private CamelContext context;
    private ProducerTemplate producer;
    private CloseableHttpClient rawClient;
    private String tokenUrl;

    @Setup(Level.Trial)
    public void start() throws Exception {
        AtomicInteger grants = new AtomicInteger();
        System.setProperty("sun.net.httpserver.nodelay", "true"); // else delayed ACKs add 40 ms to every answer
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/oauth/token", exchange -> {
            exchange.getRequestBody().readAllBytes();
            int n = grants.incrementAndGet();
            byte[] body = ("{\"access_token\":\"bench-at-" + n + "\",\"refresh_token\":\"bench-rt-" + n
                    + "\",\"token_type\":\"Bearer\",\"expires_in\":86400}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        tokenUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/oauth/token";

        directory = Files.createTempDirectory("keeper-jmh");
        Path tokenFile = directory.resolve(".yoto_refresh_token");
        Files.writeString(tokenFile, "bench-rt-0\n");
        context = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.put("yoto.keeper.client-id", "bench-client");
        properties.put("yoto.keeper.token-file", tokenFile.toString());
        properties.put("yoto.keeper.token-url", tokenUrl);
        properties.put("yoto.keeper.web-enabled", "false");
        context.getPropertiesComponent().setInitialProperties(properties);
        context.addRoutes(new YotoTokenKeeper());
        context.start();
        producer = context.createProducerTemplate();
        // the start-up refresh, or the first hand-out's, gives the keeper a valid access token
        if (!String.valueOf(producer.requestBody(YotoEndpoints.ACCESS_TOKEN, null, String.class)).startsWith("bench-at-")) {
            throw new IllegalStateException("no access token from the keeper");
        }
        rawClient = HttpClients.custom().disableAutomaticRetries().build();
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        rawClient.close();
        context.close();
        server.stop(0);
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(directory);
    }

    @Benchmark
    public String accessToken() {
        return producer.requestBody(YotoEndpoints.ACCESS_TOKEN, null, String.class);
    }

    @Benchmark
    public Object refresh() {
        return producer.requestBody("direct:yoto-keeper-refresh", (Object) null);
    }

    @Benchmark
    public String rawRoundTrip() throws Exception {
        HttpPost post = new HttpPost(tokenUrl);
        post.setEntity(new UrlEncodedFormEntity(List.of(new BasicNameValuePair("grant_type", "refresh_token"),
                new BasicNameValuePair("client_id", "bench-client"), new BasicNameValuePair("refresh_token", "bench-rt-0"),
                new BasicNameValuePair("audience", "https://api.yotoplay.com")), StandardCharsets.UTF_8));
        return rawClient.execute(post, response -> EntityUtils.toString(response.getEntity()));
    }
}
