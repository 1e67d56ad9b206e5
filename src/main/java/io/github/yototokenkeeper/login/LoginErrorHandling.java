package io.github.yototokenkeeper.login;

import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Failures of a login poll are survived: the loop polls less often and goes on until the code expires (RFC 8628
 * §3.5). Applied to the poll route only; failures of the start reach the web route, which answers 502 or 503.
 */
public class LoginErrorHandling extends RouteConfigurationBuilder {

    public static final String ID = "yoto-keeper-login-error-handling";

    private final DeviceLoginFlow logins;

    public LoginErrorHandling(DeviceLoginFlow logins) {
        this.logins = logins;
    }

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(Exception.class).handled(true)
                    .process(logins::onPollFailure)
                    .filter(logins::pollAgain)
                        .to(DeviceLoginRoutes.POLL + "?waitForTaskToComplete=Never")
                    .end()
                .end();
    }
}
