package io.github.yototokenkeeper.token;

import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.MalformedChunkCodingException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the refresh routes survive failure, in one place and scoped to the keeper's routes by id (a host application's
 * routes keep their own error handling). Every failure is logged with its cause and handled: the route stays up, the
 * token file stays as it was, and the session plans the next attempt (the wake-up scheduler brings it).
 */
public class RefreshErrorHandling extends RouteConfigurationBuilder {

    public static final String ID = "yoto-keeper-error-handling";
    private static final Logger LOG = LoggerFactory.getLogger(TokenSession.LOG_NAME);
    private static final String FAILURE = "${exchangeProperty." + RefreshAttempt.PROPERTY + ".failure}";

    private final TokenRefresher refresher;

    public RefreshErrorHandling(TokenRefresher refresher) {
        this.refresher = refresher;
    }

    @Override
    public void configuration() {
        // one statement per clause: a clause chained after another's end() is nested in it, and Camel 4.18 then
        // lost one exception class of the clause (SocketException was never matched: a reset after the request was
        // sent counted as an ordinary failure, without the immediate retry)
        RouteConfigurationDefinition keeper = routeConfiguration(ID);

        keeper.onException(ReauthRequiredException.class).handled(true)
                .process(refresher::refused)
                .filter(refresher::current) // outdated by a login or logout: INFO only, from the session
                    .log(LoggingLevel.ERROR, TokenSession.LOG_NAME, "Token refresh failed: " + FAILURE + ". Re-login needed: open the"
                            + " keeper's page and log in again. No further refresh attempts until then; the token file is kept")
                .end();

        // No answer, or an answer cut short, after the request was sent: the server may have rotated the token
        // already. One immediate retry with the same token (Auth0 accepts the previous one for a short reuse
        // interval), then a distinct error and retries every 2 s for a while; no retry when a login or logout came
        // meanwhile. Refused connections and connect timeouts never reached the server: ordinary failures.
        countFailure(keeper.onException(SocketException.class, SocketTimeoutException.class, NoHttpResponseException.class,
                        MalformedChunkCodingException.class, ConnectionClosedException.class)
                .retryWhile(refresher::retryLostAnswer).redeliveryDelay(0)
                .onRedelivery(exchange -> {
                    // whatever the retry meets (even a 503 or garbage), the server may have rotated: stay ambiguous
                    exchange.getProperty(RefreshAttempt.PROPERTY, RefreshAttempt.class).answerLost();
                    LOG.warn("No answer to the refresh request: retrying once, at once, with the same refresh token"
                            + " (the server may have rotated it already)");
                })
                .handled(true)
                .process(refresher::answerLost));

        // never sent, though some are SocketExceptions: listed so that the exact match wins over the clause above
        countFailure(keeper.onException(ConnectException.class, NoRouteToHostException.class, PortUnreachableException.class,
                BindException.class, ConnectTimeoutException.class, UnknownHostException.class, Exception.class).handled(true));
    }

    /** A transient failure, lost answer or not: counted and a retry planned by the session, one WARN line. */
    private void countFailure(OnExceptionDefinition clause) {
        clause.process(refresher::failed)
                .filter(refresher::current) // outdated by a login or logout: INFO only, from the session
                    .log(LoggingLevel.WARN, TokenSession.LOG_NAME, "Token refresh failed: " + FAILURE
                            + ". Tokens may expire if this goes on; retrying at ${exchangeProperty." + RefreshAttempt.PROPERTY + ".retryAt}")
                .end();
    }
}
