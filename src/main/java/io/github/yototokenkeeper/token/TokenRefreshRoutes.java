package io.github.yototokenkeeper.token;

import io.github.yototokenkeeper.config.KeeperSettings;
import io.github.yototokenkeeper.oauth.LazyJson;
import io.github.yototokenkeeper.oauth.OAuthClient;
import io.github.yototokenkeeper.oauth.TokenEndpointResponse;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * The token lifecycle on Camel: a refresh on request (one at a time), on a schedule, at the session's due moment, and
 * the alerts. The decisions are {@link TokenRefresher}'s and {@link TokenSession}'s; these routes wire them to the
 * timers, the queue and the token endpoint.
 */
public class TokenRefreshRoutes extends RouteBuilder {

    /** The one way to ask for a refresh; returns when the attempt that answers it has ended. */
    public static final String REFRESH = "direct:yoto-keeper-refresh";
    /** Where alerts go: marshalled to JSON here, sent to KEEPER_ALERT_URI (any Camel endpoint) by the alert route. */
    public static final String ALERTS = "seda:yoto-keeper-alerts";
    /** The session's next due moment has come (see {@link WakeUpScheduler}), or the backstop timer fired. */
    public static final String WAKE_UP = "direct:yoto-keeper-wake-up";
    /** The cluster view's namespace: the keeper's timers run only on the replica that leads it. */
    public static final String CLUSTER_NAMESPACE = "yoto-keeper";
    /**
     * A SEDA consumer's thread looks at its queue this often (Camel: every second), and a stop waits that long for
     * each queue in turn: a quarter second keeps an idle stop short for a handful of queues, at four wake-ups a second.
     */
    public static final String QUICK_STOP = "pollTimeout=250";
    private static final String QUEUE = "seda:yoto-keeper-refresh-queue";
    private static final String ATTEMPT = "${exchangeProperty." + RefreshAttempt.PROPERTY + ".";

    private final KeeperSettings settings;
    private final TokenSession session;
    private final TokenRefresher refresher;
    private final OAuthClient oauth;
    private final WakeUpScheduler scheduler;

    public TokenRefreshRoutes(KeeperSettings settings, TokenSession session, TokenRefresher refresher, OAuthClient oauth,
            WakeUpScheduler scheduler) {
        this.settings = settings;
        this.session = session;
        this.refresher = refresher;
        this.oauth = oauth;
        this.scheduler = scheduler;
    }

    @Override
    public void configure() {
        // Routes start in the order they are defined: the refresh route is listening before the first tick.
        // The caller's exchange only waits: the refresh runs on a copy whose results are dropped, so nothing of it (the
        // refresh token, the token endpoint's headers, a handled failure) comes back to a host's exchange.
        from(REFRESH)
                .routeId("yoto-keeper-refresh-request")
                .errorHandler(noErrorHandler())
                .setProperty(RefreshAttempt.PROPERTY, refresher::newAttempt)
                .enrich(QUEUE + "?waitForTaskToComplete=Always&timeout=0", (caller, refresh) -> caller);

        // One consumer: two refreshes never run at once, and a request that waited is answered by the attempt
        // that ended meanwhile instead of sending the rotated-away token again.
        from(QUEUE + "?concurrentConsumers=1&" + QUICK_STOP)
                .routeId("yoto-keeper-refresh")
                .routeConfigurationId(RefreshErrorHandling.ID)
                .filter(refresher::prepare)
                    .setBody(refresher::grant)
                    .removeHeaders("*")
                    .toD().uri(oauth.tokenEndpoint()).allowOptimisedComponents(false)
                    .process(refresher::checkStatus)
                    .unmarshal(LazyJson.reading(TokenEndpointResponse.class))
                    .process(refresher::accept)
                    .filter(refresher::current) // outdated by a login or logout: discarded, said at INFO
                        .log(LoggingLevel.INFO, TokenSession.LOG_NAME, "Token refresh successful (access token valid until "
                                + ATTEMPT + "validUntil})")
                    .end()
                .end();

        // At the session's due moment: an early refresh before the access token lapses, a retry (2 s after a lost
        // answer, inside the server's reuse interval; else with backoff), or the access token's expiry (an alert).
        from(WAKE_UP)
                .routeId("yoto-keeper-wake-up").routeConfigurationId(RefreshErrorHandling.ID)
                .process(exchange -> session.wakeUp())
                .filter(exchange -> session.refreshDue())
                    .choice()
                        .when(exchange -> session.retrySoon())
                            .log(LoggingLevel.INFO, TokenSession.LOG_NAME, "Retrying the refresh whose answer was lost, with the same token")
                        .otherwise()
                            .log(LoggingLevel.INFO, TokenSession.LOG_NAME, "Access token expires soon, or a retry is due: refreshing now")
                    .end()
                    .to(REFRESH)
                .end(); // the scheduler plans the next wake-up when this one returns

        // At start (delay 0) and then every TOKEN_REFRESH_INTERVAL_HOURS: keeps an idle refresh token alive.
        from(onLeader("timer:yoto-keeper-schedule?delay=0&period=" + settings.refreshInterval().toMillis()))
                .routeId("yoto-keeper-schedule").routeConfigurationId(RefreshErrorHandling.ID)
                .process(exchange -> refresher.scheduleTick())
                .log(LoggingLevel.INFO, TokenSession.LOG_NAME, "Performing scheduled token refresh...")
                .to(REFRESH);

        // The slow backstop of the wake-ups (and the first refresh of a replica that just became leader); a rotated
        // token the disk refused is written again here.
        from(onLeader("timer:yoto-keeper-expiry-check?period=" + settings.expiryCheckPeriod().toMillis()))
                .routeId("yoto-keeper-early-refresh").routeConfigurationId(RefreshErrorHandling.ID)
                .process(exchange -> session.saveUnsaved())
                .to(WAKE_UP);

        settings.alertUri().ifPresent(alertUri -> from(ALERTS + "?" + QUICK_STOP)
                .routeId("yoto-keeper-alerts")
                .onException(Exception.class).handled(true)
                    .log(LoggingLevel.WARN, TokenSession.LOG_NAME, "Alert not sent to KEEPER_ALERT_URI: ${exception.message}")
                .end()
                .marshal(LazyJson.writing())
                .setHeader("Content-Type", constant("application/json"))
                .log(LoggingLevel.INFO, TokenSession.LOG_NAME, "Sending alert: ${body}")
                .to(alertUri));
    }

    /** With several replicas the timers run on the leader only (Camel's master component); alone, as they are. */
    private String onLeader(String uri) {
        return settings.clusterEnabled() ? "master:" + CLUSTER_NAMESPACE + ":" + uri : uri;
    }
}
