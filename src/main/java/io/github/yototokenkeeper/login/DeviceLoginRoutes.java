package io.github.yototokenkeeper.login;

import io.github.yototokenkeeper.oauth.LazyJson;
import io.github.yototokenkeeper.oauth.OAuthClient;
import io.github.yototokenkeeper.oauth.TokenEndpointResponse;
import io.github.yototokenkeeper.token.TokenRefreshRoutes;
import org.apache.camel.builder.RouteBuilder;

/**
 * The device flow (RFC 8628) on the server side. Starting asks the device-code endpoint for a code; polling then
 * runs as its own loop through a SEDA queue, each turn waiting on the queue's own thread until the next poll is due,
 * so neither the browser nor a request thread ever waits for the user to approve. The decisions are
 * {@link DeviceLoginFlow}'s.
 */
public class DeviceLoginRoutes extends RouteBuilder {

    /** Starts a login; answers what the browser may see (never the device code). */
    public static final String START = "direct:yoto-keeper-login-start";
    static final String POLL = "seda:yoto-keeper-login-poll";

    private final DeviceLoginFlow logins;
    private final OAuthClient oauth;

    public DeviceLoginRoutes(DeviceLoginFlow logins, OAuthClient oauth) {
        this.logins = logins;
        this.oauth = oauth;
    }

    @Override
    public void configure() {
        // No error handler of its own: a failure goes straight back to the caller (the web route answers 502/503).
        from(START)
                .routeId("yoto-keeper-login-start")
                .errorHandler(noErrorHandler())
                .process(exchange -> logins.checkConfigured())
                .setBody(exchange -> logins.deviceCodeRequest())
                .removeHeaders("*")
                .toD().uri(oauth.deviceCodeEndpoint()).allowOptimisedComponents(false)
                .process(logins::checkStartStatus)
                .unmarshal(LazyJson.reading(DeviceAuthorization.class))
                .setBody(logins::begin)
                .to(POLL + "?waitForTaskToComplete=Never");

        // Each turn waits until its poll is due a second at a time, so a stop never waits long for a login still
        // pending (or one a newer login replaced); a stopping keeper ends the wait and the loop. The wait holds the
        // queue's one thread: only the current login waits, a replaced one ends at its next look.
        from(POLL + "?" + TokenRefreshRoutes.QUICK_STOP)
                .routeId("yoto-keeper-login-poll")
                .routeConfigurationId(LoginErrorHandling.ID)
                .loopDoWhile(logins::waitingForNextPoll)
                    .delay().exchange(logins::millisUntilNextPoll).syncDelayed().end() // ends the delay
                .end() // ends the loop: the poll below runs once per turn
                .filter(logins::pollWanted)
                    .setBody(logins::deviceCodeGrant)
                    .removeHeaders("*")
                    .toD().uri(oauth.tokenEndpoint()).allowOptimisedComponents(false)
                    .process(logins::checkPollStatus)
                    .unmarshal(LazyJson.reading(TokenEndpointResponse.class))
                    .process(logins::onPollAnswer)
                    .filter(logins::pollAgain)
                        .to(POLL + "?waitForTaskToComplete=Never")
                    .end()
                .end();
    }
}
