package io.github.yototokenkeeper.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.yototokenkeeper.support.KeeperMainTestSupport;
import io.github.yototokenkeeper.support.Tokens;
import java.net.http.HttpResponse;
import java.util.Properties;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

/** KEEPER_ALERT_URI and the Prometheus text at /metrics, in the running service. */
class AlertsAndMetricsTest extends KeeperMainTestSupport {

    @Override
    protected void keeperProperties(Properties properties) {
        properties.put("KEEPER_ALERT_URI", "mock:alerts");
    }

    @Test
    void reloginNeededSendsOneJsonAlertWithoutTokens() throws Exception {
        String token = Tokens.refresh();
        writeTokenFile(token);
        stubTokenError(400, "invalid_grant");
        MockEndpoint alerts = context.getEndpoint("mock:alerts", MockEndpoint.class);
        alerts.expectedMessageCount(1);

        startKeeper();
        refreshNow();

        alerts.assertIsSatisfied(10_000);
        String body = alerts.getReceivedExchanges().get(0).getMessage().getBody(String.class);
        JsonNode alert = new ObjectMapper().readTree(body);
        assertThat(alert.get("event").asText()).isEqualTo("reauth_required");
        assertThat(alert.get("message").asText()).contains("log in again");
        assertThat(body).doesNotContain(Tokens.MARKER);
    }

    @Test
    void metricsCountRefreshesAndShowTheState() throws Exception {
        HttpResponse<String> metrics = metricsAfterTheStartsRefresh();

        assertThat(metrics.body())
                .contains("yoto_keeper_refreshes_total{outcome=\"success\"} 1.0")
                .contains("yoto_keeper_state{state=\"authenticated\"} 1.0")
                .contains("yoto_keeper_consecutive_failures 0.0")
                .containsPattern("yoto_keeper_access_token_expires_in_seconds 3[56]\\d\\d")
                .as("Camel's per-route metrics only with KEEPER_ROUTE_METRICS=true").doesNotContain("routeId=")
                .doesNotContain(Tokens.MARKER);
    }
}
