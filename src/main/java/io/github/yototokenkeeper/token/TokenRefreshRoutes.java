package io.github.yototokenkeeper.token;

import io.github.yototokenkeeper.config.KeeperSettings;
import io.github.yototokenkeeper.config.KeeperWiring;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.dataformat.JsonLibrary;

/**
 * The token lifecycle. Three triggers (the schedule, the access token nearing expiry, a caller that needs a token)
 * all end in one refresh route, which a single-consumer queue runs one at a time:
 * read the refresh token, POST the refresh_token grant, save the rotated token, put the access token in use.
 */
public class TokenRefreshRoutes extends RouteBuilder {

    /** The one way to ask for a refresh; returns when the attempt that answers it has ended. */
    public static final String REFRESH = "direct:yoto-keeper-refresh";
    private static final String QUEUE = "seda:yoto-keeper-refresh-queue";
    /**
     * A SEDA consumer's thread looks at its queue this often (Camel: every second), and a stop waits that long for
     * each queue in turn: a quarter second keeps an idle stop short for a handful of queues, at four wake-ups a second.
     */
    public static final String QUICK_STOP = "pollTimeout=250";
    /** After a lost answer: one more refresh in a moment, whatever the period of the expiry check. */
    static final String RETRY_SOON = "seda:yoto-keeper-retry-soon?waitForTaskToComplete=Never";

    @Override
    public void configure() {
        KeeperSettings settings = getContext().getRegistry().lookupByNameAndType(KeeperBeans.SETTINGS, KeeperSettings.class);

        // Routes start in the order they are defined: the refresh route is listening before the first tick.
        // The caller's exchange only waits: the refresh runs on a copy whose results are dropped, so nothing of it (the
        // refresh token property, the token endpoint's headers, a handled failure) comes back to a host's exchange.
        from(REFRESH)
                .routeId("yoto-keeper-refresh-request")
                .errorHandler(noErrorHandler())
                .setProperty(TokenKeeper.REQUESTED_AT, method(KeeperBeans.KEEPER, "now"))
                .enrich(QUEUE + "?waitForTaskToComplete=Always&timeout=0", (caller, refresh) -> caller);

        // One consumer: two refreshes never run at once, and a request that waited is answered by the attempt
        // that ended meanwhile instead of sending the rotated-away token again.
        from(QUEUE + "?concurrentConsumers=1&" + QUICK_STOP)
                .routeId("yoto-keeper-refresh")
                .routeConfigurationId(KeeperErrorHandling.ID)
                // every attempt starts clean: a retry handed on by a failed attempt must not inherit its verdict
                // (a lost answer), its token or its generation
                .removeProperties("yotoKeeper*", TokenKeeper.REQUESTED_AT)
                .filter(method(KeeperBeans.KEEPER, "prepareRefresh"))
                    .setBody(method(KeeperBeans.KEEPER, "refreshGrant"))
                    .removeHeaders("*")
                    .to(httpEndpoint(settings.tokenUrl().toString(), settings))
                    .bean(KeeperBeans.KEEPER, "checkStatus")
                    .unmarshal().json(JsonLibrary.Jackson, TokenEndpointResponse.class)
                    .bean(KeeperBeans.KEEPER, "acceptTokenResponse")
                    .filter(exchangeProperty(TokenKeeper.VALID_UNTIL).isNotNull()) // unset: discarded after a login
                        .log(LoggingLevel.INFO, TokenKeeper.LOG_NAME, "Token refresh successful (access token valid until ${exchangeProperty." + TokenKeeper.VALID_UNTIL + "})")
                    .end()
                .end();

        settings.alertUri().ifPresent(alertUri -> from(ALERTS + "?" + QUICK_STOP)
                .routeId("yoto-keeper-alerts")
                .onException(Exception.class).handled(true)
                    .log(LoggingLevel.WARN, TokenKeeper.LOG_NAME, "Alert not sent to KEEPER_ALERT_URI: ${exception.message}")
                .end()
                .marshal().json(JsonLibrary.Jackson)
                .setHeader("Content-Type", constant("application/json"))
                .log(LoggingLevel.INFO, TokenKeeper.LOG_NAME, "Sending alert: ${body}")
                .to(alertUri));

        // a lost answer: the server may have rotated, and accepts the previous token only for a short reuse interval
        from(RETRY_SOON + "&" + QUICK_STOP)
                .routeId("yoto-keeper-retry-soon").routeConfigurationId(KeeperErrorHandling.ID)
                .delay(constant(RefreshPolicy.AMBIGUOUS_RETRY.toMillis())).asyncDelayed()
                .filter(method(KeeperBeans.KEEPER, "retrySoon")) // not when another refresh, a login or logout came first
                    .log(LoggingLevel.INFO, TokenKeeper.LOG_NAME, "Retrying the refresh whose answer was lost, with the same token")
                    .to(REFRESH)
                .end();

        // At start (delay 0) and then every TOKEN_REFRESH_INTERVAL_HOURS: keeps an idle refresh token alive.
        from(onLeader(settings, "timer:yoto-keeper-schedule?delay=0&period=" + settings.refreshInterval().toMillis()))
                .routeId("yoto-keeper-schedule").routeConfigurationId(KeeperErrorHandling.ID)
                .bean(KeeperBeans.KEEPER, "scheduleTick")
                .log(LoggingLevel.INFO, TokenKeeper.LOG_NAME, "Performing scheduled token refresh...")
                .to(REFRESH);

        // Before the access token lapses (when it lives shorter than the interval), and retries after a failure.
        from(onLeader(settings, "timer:yoto-keeper-expiry-check?period=" + settings.expiryCheckPeriod().toMillis()))
                .routeId("yoto-keeper-early-refresh").routeConfigurationId(KeeperErrorHandling.ID)
                .bean(KeeperBeans.KEEPER, "retryUnsavedWrite")
                .bean(KeeperBeans.KEEPER, "checkAlerts") // an access token can expire between two attempts
                .filter(method(KeeperBeans.STATE, "refreshDue"))
                    .log(LoggingLevel.INFO, TokenKeeper.LOG_NAME, "Access token expires soon, or a retry is due: refreshing now")
                    .to(REFRESH);
    }

    /** With several replicas the timers run on the leader only (Camel's master component); alone, as they are. */
    static String onLeader(KeeperSettings settings, String uri) {
        return settings.clusterEnabled() ? "master:" + KeeperWiring.CLUSTER_NAMESPACE + ":" + uri : uri;
    }

    /** Where alerts go: marshalled to JSON here, sent to KEEPER_ALERT_URI (any Camel endpoint) by the alert route. */
    public static final String ALERTS = "seda:yoto-keeper-alerts";

    /**
     * camel-http, reading every answer itself (errors are JSON too) and giving up after the configured timeout. The
     * HTTP client never retries on its own (see {@link KeeperHttpClient}): re-sending a refresh token is the keeper's call.
     */
    public static String httpEndpoint(String url, KeeperSettings settings) {
        long timeout = settings.httpTimeout().toMillis();
        return url + (url.contains("?") ? "&" : "?") + "httpMethod=POST&throwExceptionOnFailure=false&followRedirects=false"
                + "&httpClientConfigurer=#" + KeeperBeans.HTTP_CLIENT_CONFIGURER
                + "&connectTimeout=" + timeout + "&connectionRequestTimeout=" + timeout
                + "&responseTimeout=" + timeout + "&soTimeout=" + timeout;
    }
}
