package io.github.yototokenkeeper.token;

import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import org.apache.camel.LoggingLevel;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.MalformedChunkCodingException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;

/**
 * How the refresh route survives failure, in one place and scoped to the keeper's routes by id (a host application's
 * routes keep their own error handling). Every failure is logged with its cause and handled: the route stays up, the
 * token file stays as it was, and the next attempt comes.
 */
public class KeeperErrorHandling extends RouteConfigurationBuilder {

    public static final String ID = "yoto-keeper-error-handling";
    private static final Logger LOG = LoggerFactory.getLogger(TokenKeeper.LOG_NAME);

    @Override
    public void configuration() {
        // one statement per clause: a clause chained after another's end() is nested in it, and Camel 4.18 then
        // lost one exception class of the clause (SocketException was never matched: a reset after the request was
        // sent counted as an ordinary failure, without the immediate retry)
        RouteConfigurationDefinition keeper = routeConfiguration(ID);

        keeper.onException(ReauthRequiredException.class).handled(true)
                .bean(KeeperBeans.KEEPER, "reauthRequired")
                .filter(exchangeProperty(TokenKeeper.OUTDATED).isNull())
                    .log(LoggingLevel.ERROR, TokenKeeper.LOG_NAME, "Token refresh failed: ${exchangeProperty." + TokenKeeper.FAILURE
                            + "}. Re-login needed: open the keeper's page and log in again. No further refresh attempts until then;"
                            + " the token file is kept")
                .end();

        // No answer, or an answer cut short, after the request was sent: the server may have rotated the token
        // already. One immediate retry with the same token (Auth0 accepts the previous one for a short reuse
        // interval), then a distinct error; no retry when a login or logout came meanwhile. Refused connections and
        // connect timeouts never reached the server: ordinary failures.
        countFailure(keeper.onException(SocketException.class, SocketTimeoutException.class, NoHttpResponseException.class,
                        MalformedChunkCodingException.class, ConnectionClosedException.class)
                .retryWhile(method(KeeperBeans.KEEPER, "retryLostAnswer")).redeliveryDelay(0)
                .onRedelivery(exchange -> {
                    // whatever the retry meets (even a 503 or garbage), the server may have rotated: stay ambiguous
                    exchange.setProperty(TokenKeeper.AMBIGUOUS, true);
                    LOG.warn("No answer to the refresh request: retrying once, at once, with the same refresh token"
                            + " (the server may have rotated it already)");
                })
                .handled(true)
                .setProperty(TokenKeeper.AMBIGUOUS, constant(true)));

        // never sent, though some are SocketExceptions: listed so that the exact match wins over the clause above
        countFailure(keeper.onException(ConnectException.class, NoRouteToHostException.class, PortUnreachableException.class,
                BindException.class, ConnectTimeoutException.class, UnknownHostException.class, Exception.class).handled(true));
    }

    /** A transient failure, lost answer or not: counted, an early retry planned after a lost answer, one WARN line. */
    private void countFailure(OnExceptionDefinition clause) {
        clause.bean(KeeperBeans.KEEPER, "refreshFailed")
                .filter(exchangeProperty(TokenKeeper.OUTDATED).isNull()) // outdated by a login or logout: INFO only
                    .filter(method(KeeperBeans.KEEPER, "retrySoon"))
                        .to(TokenRefreshRoutes.RETRY_SOON)
                    .end()
                    .log(LoggingLevel.WARN, TokenKeeper.LOG_NAME, "Token refresh failed: ${exchangeProperty." + TokenKeeper.FAILURE
                            + "}. Tokens may expire if this goes on; retrying at ${exchangeProperty." + TokenKeeper.RETRY_AT + "}")
                .end();
    }
}
