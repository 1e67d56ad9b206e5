package io.github.yototokenkeeper.token;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.yototokenkeeper.support.KeeperMainTestSupport;
import io.github.yototokenkeeper.support.Tokens;
import java.net.http.HttpResponse;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** KEEPER_ROUTE_METRICS=true adds Camel's per-route metrics to the keeper's own on /metrics (off by default). */
class RouteMetricsTest extends KeeperMainTestSupport {

    @Override
    protected void keeperProperties(Properties properties) {
        properties.put("KEEPER_ROUTE_METRICS", "true");
    }

    @Test
    void routeMetricsAreThereWhenAskedFor() throws Exception {
        HttpResponse<String> metrics = metricsAfterTheStartsRefresh();

        assertThat(metrics.body())
                .contains("yoto_keeper_refreshes_total{outcome=\"success\"} 1.0")
                .contains("routeId=\"yoto-keeper-refresh\"")
                .doesNotContain(Tokens.MARKER);
    }
}
