package io.github.yototokenkeeper.token;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * How the refresh route survives failure, in one place and scoped to the keeper's routes by id (a host application's
 * routes keep their own error handling). Every failure is logged with its cause and handled: the route stays up, the
 * token file stays as it was, and the next attempt comes.
 */
public class KeeperErrorHandling extends RouteConfigurationBuilder {

    public static final String ID = "yoto-keeper-error-handling";

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(ReauthRequiredException.class).handled(true)
                    .bean(KeeperBeans.KEEPER, "reauthRequired")
                    .log(LoggingLevel.ERROR, TokenKeeper.LOG_NAME, "Token refresh failed: ${exchangeProperty." + TokenKeeper.FAILURE
                            + "}. Re-login needed: open the keeper's page and log in again. No further refresh attempts until then;"
                            + " the token file is kept")
                .end()
                .onException(Exception.class).handled(true)
                    .bean(KeeperBeans.KEEPER, "refreshFailed")
                    .log(LoggingLevel.WARN, TokenKeeper.LOG_NAME, "Token refresh failed: ${exchangeProperty." + TokenKeeper.FAILURE
                            + "}. Tokens may expire if this goes on; retrying at ${exchangeProperty." + TokenKeeper.RETRY_AT + "}")
                .end();
    }
}
