package io.github.yototokenkeeper.embed;

import io.github.yototokenkeeper.config.KeeperSettings;
import io.github.yototokenkeeper.config.KeeperWiring;
import io.github.yototokenkeeper.login.DeviceLoginRoutes;
import io.github.yototokenkeeper.login.LoginErrorHandling;
import io.github.yototokenkeeper.token.KeeperErrorHandling;
import io.github.yototokenkeeper.token.TokenRefreshRoutes;
import io.github.yototokenkeeper.web.WebErrorHandling;
import io.github.yototokenkeeper.web.WebRoutes;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;

/**
 * The whole keeper, for any Camel context: the standalone service starts it, and so does a host application with one
 * line ({@code context.addRoutes(new YotoTokenKeeper())}, or {@code main.configure().addRoutesBuilder(...)}) or one
 * property ({@code camel.main.routes-builder-classes = io.github.yototokenkeeper.embed.YotoTokenKeeper}).
 * Settings come from the context's properties under {@code yoto.keeper.}; the web routes join the application's
 * platform-http server when it has one, under {@code yoto.keeper.web-path} (default /yoto-keeper).
 */
public class YotoTokenKeeper extends RouteBuilder {

    @Override
    public void configure() throws Exception {
        CamelContext context = getContext();
        KeeperSettings settings = KeeperWiring.bind(context);
        // error handling scoped by route configuration ids: only our routes use it, never the host's
        context.addRoutesConfigurations(new KeeperErrorHandling());
        context.addRoutesConfigurations(new LoginErrorHandling());
        context.addRoutes(new TokenRefreshRoutes());
        context.addRoutes(new DeviceLoginRoutes());
        context.addRoutes(new AccessTokenRoutes());
        if (KeeperWiring.webEnabled(context, settings)) {
            context.addRoutesConfigurations(new WebErrorHandling());
            context.addRoutes(new WebRoutes());
        }
    }
}
