package io.github.yototokenkeeper.embed;

import static org.apache.camel.builder.PredicateBuilder.and;

import io.github.yototokenkeeper.token.TokenRefreshRoutes;
import io.github.yototokenkeeper.token.TokenSession;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/** What a host application's routes call: an access token, a bearer header, a Yoto API call, a refresh notification. */
public class AccessTokenRoutes extends RouteBuilder {

    private static final String NOTIFY = "seda:yoto-keeper-token-refreshed";
    private static final String API_CALL = "direct:yoto-keeper-api-call";
    private static final String API_URI = "yotoKeeperApiUri";

    private final HostAccessTokens tokens;
    private final YotoApiCalls api;

    public AccessTokenRoutes(HostAccessTokens tokens, YotoApiCalls api) {
        this.tokens = tokens;
        this.api = api;
    }

    @Override
    public void configure() {
        from(YotoEndpoints.ACCESS_TOKEN)
                .routeId("yoto-keeper-access-token")
                .errorHandler(noErrorHandler()) // failures go back to the caller, whose error handler decides
                .filter(exchange -> tokens.refreshFirst())
                    .to(TokenRefreshRoutes.REFRESH) // the one refresh path: concurrent callers share one request
                .end()
                .setBody(exchange -> tokens.accessToken());

        from(YotoEndpoints.AUTHORIZE)
                .routeId("yoto-keeper-authorize")
                .errorHandler(noErrorHandler())
                .enrich(YotoEndpoints.ACCESS_TOKEN, (original, token) -> {
                    if (token.getException() != null) {
                        original.setException(token.getException());
                        return original;
                    }
                    String accessToken = token.getMessage().getBody(String.class);
                    original.getMessage().setHeader("Authorization", "Bearer " + accessToken);
                    original.setProperty(HostAccessTokens.USED_TOKEN_FINGERPRINT, HostAccessTokens.fingerprint(accessToken));
                    return original;
                }, true); // aggregate on exception too: nothing of a failed token route is copied onto the host's exchange

        // The call runs on a copy of the host's exchange, so the bearer token never lands on the host's own headers
        // (a host route that calls its own service next must not send it there): the host gets back its headers as it
        // left them, plus the answer's body and headers.
        from(YotoEndpoints.API)
                .routeId("yoto-keeper-api")
                .errorHandler(noErrorHandler())
                .enrich(API_CALL, YotoApiCalls::answerOnHostExchange, true);

        from(API_CALL)
                .routeId("yoto-keeper-api-call")
                .errorHandler(noErrorHandler())
                .process(api::saveRequest)
                .to(YotoEndpoints.AUTHORIZE)
                .setProperty(API_URI).exchange(api::uri)
                .toD("${exchangeProperty." + API_URI + "}")
                .filter(and(header(Exchange.HTTP_RESPONSE_CODE).isEqualTo(401), tokens::rejectAndRetry))
                    .log(LoggingLevel.INFO, TokenSession.LOG_NAME, "The Yoto API answered 401 to an access token at least a minute old"
                            + " (or one replaced since): retrying once, with a refreshed token")
                    .process(api::restoreRequest)
                    .to(YotoEndpoints.AUTHORIZE)
                    .toD("${exchangeProperty." + API_URI + "}")
                .end()
                .process(api::failUnlessSuccessful);

        // every new access token, to the host's route if it has one; a slow or failing host route never holds up a refresh
        from(NOTIFY + "?" + TokenRefreshRoutes.QUICK_STOP)
                .routeId("yoto-keeper-token-refreshed")
                .onException(Exception.class).handled(true)
                    .log(LoggingLevel.WARN, TokenSession.LOG_NAME, "The host's route on " + YotoEndpoints.TOKEN_REFRESHED
                            + " failed: ${exception.message}")
                .end()
                .to(YotoEndpoints.TOKEN_REFRESHED + "?block=false&failIfNoConsumers=false");
    }

    /** Where the keeper hands each new access token (see {@link YotoEndpoints#TOKEN_REFRESHED}). */
    public static String notificationQueue() {
        return NOTIFY + "?waitForTaskToComplete=Never&blockWhenFull=false";
    }
}
