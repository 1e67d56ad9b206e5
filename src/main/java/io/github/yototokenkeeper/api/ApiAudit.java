package io.github.yototokenkeeper.api;

import io.github.yototokenkeeper.token.TokenSession;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request to {@code /api/*} in the keeper's log (the key's name, the route, the method, the status; never
 * the key, a token or the query), and the counter {@code yoto_keeper_api_requests_total{key, route, outcome}} in the
 * application's Micrometer registry once there is one. Key names come from the settings (or are "local" or
 * "unknown"), so the counter's labels stay few.
 */
public final class ApiAudit {

    private static final Logger LOG = LoggerFactory.getLogger(TokenSession.LOG_NAME);

    private volatile MeterRegistry meters;

    /** The application's registry, when it has one (bound at start). */
    public void bind(MeterRegistry registry) {
        this.meters = registry;
    }

    /**
     * @param forwarded the status is Yoto's, passed on by the proxy
     * @param named     an outcome the status alone does not say (yoto_rejected_token), else null
     */
    public void record(String key, ApiScope route, String method, int status, boolean forwarded, String named) {
        String outcome = named != null ? named : forwarded && status >= 400 ? "yoto_error" : outcome(status);
        LOG.info("API request: key={} route={} method={} status={} outcome={}", key, route.wireName(), method, status, outcome);
        MeterRegistry registry = meters;
        if (registry != null) {
            Counter.builder("yoto.keeper.api.requests").description("Requests of programs to /api/*, by key, route and outcome")
                    .tag("key", key).tag("route", route.wireName()).tag("outcome", outcome).register(registry).increment();
        }
    }

    /** A few named outcomes rather than every status: served, refused (and why), or failed. */
    static String outcome(int status) {
        if (status >= 200 && status < 400) {
            return "served";
        }
        return switch (status) {
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 429 -> "rate_limited";
            case 503 -> "unavailable";
            case 502, 504 -> "yoto_failed";
            default -> status >= 500 ? "error" : "refused";
        };
    }
}
