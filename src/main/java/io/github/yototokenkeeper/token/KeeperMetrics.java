package io.github.yototokenkeeper.token;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;

/**
 * The keeper's meters, in the application's Micrometer registry (Prometheus names in brackets):
 * refreshes by outcome [yoto_keeper_refreshes_total{outcome}], failures in a row [yoto_keeper_consecutive_failures],
 * seconds until the access token expires [yoto_keeper_access_token_expires_in_seconds], seconds since the last
 * successful refresh [yoto_keeper_last_success_age_seconds], and the state [yoto_keeper_state{state} = 1].
 */
public final class KeeperMetrics {

    private KeeperMetrics() {
    }

    /** Read by the registry when it is scraped: the session's counters and its snapshot, no state of their own. */
    public static void bind(MeterRegistry registry, TokenSession session) {
        for (String outcome : new String[] {"success", "failure", "reauth_required"}) {
            FunctionCounter.builder("yoto.keeper.refreshes", session, s -> s.outcomes(outcome))
                    .tag("outcome", outcome).description("Token refresh attempts by outcome").register(registry);
        }
        Gauge.builder("yoto.keeper.consecutive.failures", session, s -> s.snapshot().consecutiveFailures())
                .description("Refreshes failed in a row").register(registry);
        Gauge.builder("yoto.keeper.access.token.expires.in", session, s -> secondsUntil(s.snapshot().accessTokenExpiresAt(), s.now()))
                .baseUnit("seconds").description("Seconds until the access token expires (negative: expired)").register(registry);
        Gauge.builder("yoto.keeper.last.success.age", session, s -> secondsUntil(s.snapshot().lastRefreshAt(), s.now()) * -1)
                .baseUnit("seconds").description("Seconds since the last successful refresh").register(registry);
        for (SessionState status : SessionState.values()) {
            Gauge.builder("yoto.keeper.state", session, s -> s.state() == status ? 1 : 0)
                    .tag("state", status.wireName()).description("The session's state (1 for the current one)").register(registry);
        }
    }

    private static double secondsUntil(Instant when, Instant now) {
        return when == null ? Double.NaN : Duration.between(now, when).toMillis() / 1000.0;
    }
}
