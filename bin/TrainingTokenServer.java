import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in token endpoint for the class-data training run of bin/cds-train.sh (run as a source file: `java
 * bin/TrainingTokenServer.java`, no build step): answers every POST with a new token pair, loopback only. Prints its
 * port and a free port for the keeper on one line, then serves until killed.
 */
public final class TrainingTokenServer {
    public static void main(String[] args) throws IOException {
        AtomicInteger grants = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            int n = grants.incrementAndGet();
            byte[] body = ("{\"access_token\":\"training-at-" + n + "\",\"refresh_token\":\"training-rt-" + n
                    + "\",\"token_type\":\"Bearer\",\"expires_in\":86400}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        int keeperPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            keeperPort = probe.getLocalPort();
        }
        System.out.println(server.getAddress().getPort() + " " + keeperPort);
        System.out.flush();
    }
}
