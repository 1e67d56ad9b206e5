package io.github.yototokenkeeper.token;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.yototokenkeeper.support.CapturedLogs;
import io.github.yototokenkeeper.support.KeeperMainTestSupport;
import io.github.yototokenkeeper.support.Tokens;
import java.util.Properties;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The token server is down (nothing listens on its port), then comes back on the same port. */
class ConnectionRefusedTest extends KeeperMainTestSupport {

    // set from the properties hook, which Camel's test support calls from its constructor: no initialisers here
    private int serverPort;
    private WireMockServer server;

    @Override
    protected void keeperProperties(Properties properties) {
        serverPort = AvailablePortFinder.getNextAvailable();
        properties.put("yoto.keeper.token-url", "http://127.0.0.1:" + serverPort + TOKEN_PATH);
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void refusedConnectionIsSurvivedAndTheNextTickSucceedsOnceTheServerIsBack() throws Exception {
        String token = Tokens.refresh();
        String rotated = Tokens.refresh();
        writeTokenFile(token);
        int mark = CapturedLogs.mark();

        startKeeper();

        assertThat(CapturedLogs.textSince(mark)).contains("Token refresh failed: cannot connect to the token endpoint");
        assertThat(status().state()).isEqualTo(SessionState.REFRESH_FAILING);
        assertThat(tokenFileContent()).isEqualTo(token);

        server = new WireMockServer(wireMockConfig().port(serverPort));
        server.start();
        server.stubFor(tokenEndpoint().willReturn(okJson(tokenJson(Tokens.access(), rotated, 3600))));
        refreshNow();

        assertThat(status().state()).isEqualTo(SessionState.AUTHENTICATED);
        assertThat(tokenFileContent().strip()).isEqualTo(rotated);
    }
}
