package io.github.yototokenkeeper.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.yototokenkeeper.support.KeeperMainTestSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Railway's health check: real HTTP against the running platform-http server. */
class HealthTest extends KeeperMainTestSupport {

    @Test
    void healthIsUpWhateverTheLoginState() throws Exception {
        startKeeper(); // no token file: logged out
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).isEqualTo("{\"status\":\"UP\"}");
    }
}
