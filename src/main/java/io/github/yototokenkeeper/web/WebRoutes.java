package io.github.yototokenkeeper.web;

import io.github.yototokenkeeper.login.DeviceLoginRoutes;
import io.github.yototokenkeeper.token.TokenRefreshRoutes;
import io.github.yototokenkeeper.config.KeeperSettings;
import io.github.yototokenkeeper.token.KeeperBeans;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.dataformat.JsonLibrary;

/**
 * The page and the {@code /auth} API on platform-http. Each route: guard the request, act, answer. The routes take
 * every method and the guard answers 405 itself, so that refusals are JSON like everything else.
 */
public class WebRoutes extends RouteBuilder {

    private static final String ANSWER = "direct:yoto-keeper-web-answer";

    private String base = "";

    /**
     * A platform-http endpoint under the keeper's web path ("" standalone, /yoto-keeper embedded), allowed to send
     * Cache-Control (Camel's default HTTP header filter drops it). The server never reads a request body for these
     * routes (useBodyHandler=false): they take none, so the guard answers before any byte of a body is read or stored.
     */
    private String web(String path) {
        return "platform-http:" + base + path + "?useBodyHandler=false&headerFilterStrategy=#" + WebBeans.HEADER_FILTER;
    }

    @Override
    public void configure() {
        base = getContext().getRegistry().lookupByNameAndType(KeeperBeans.SETTINGS, KeeperSettings.class).webPath();
        from(web("/"))
                .routeId("yoto-keeper-web-page").routeConfigurationId(WebErrorHandling.ID)
                .bean(WebBeans.ACTIONS, "allowPage")
                .bean(WebBeans.ACTIONS, "page");

        from(web("/auth/status"))
                .routeId("yoto-keeper-web-status").routeConfigurationId(WebErrorHandling.ID)
                .bean(WebBeans.ACTIONS, "allowRead")
                .setBody(method(WebBeans.ACTIONS, "status"))
                .to(ANSWER);

        from(web("/auth/device/start"))
                .routeId("yoto-keeper-web-login-start").routeConfigurationId(WebErrorHandling.ID)
                .bean(WebBeans.ACTIONS, "allowAction")
                .to(DeviceLoginRoutes.START)
                .to(ANSWER);

        from(web("/auth/refresh"))
                .routeId("yoto-keeper-web-refresh").routeConfigurationId(WebErrorHandling.ID)
                .bean(WebBeans.ACTIONS, "allowAction")
                .bean(WebBeans.ACTIONS, "requireSession")
                .to(TokenRefreshRoutes.REFRESH)
                .setBody(method(WebBeans.ACTIONS, "status"))
                .to(ANSWER);

        from(web("/auth/logout"))
                .routeId("yoto-keeper-web-logout").routeConfigurationId(WebErrorHandling.ID)
                .bean(WebBeans.ACTIONS, "allowAction")
                .bean(WebBeans.ACTIONS, "logout")
                .setBody(method(WebBeans.ACTIONS, "status"))
                .to(ANSWER);

        from(web("/metrics"))
                .routeId("yoto-keeper-web-metrics").routeConfigurationId(WebErrorHandling.ID)
                .bean(WebBeans.ACTIONS, "allowRead")
                .bean(WebBeans.ACTIONS, "metrics");

        from(web("/health"))
                .routeId("yoto-keeper-web-health").routeConfigurationId(WebErrorHandling.ID)
                .bean(WebBeans.ACTIONS, "allowHealth")
                .setBody(constant(java.util.Map.of("status", "UP")))
                .to(ANSWER);

        from(ANSWER)
                .routeId("yoto-keeper-web-answer")
                .errorHandler(noErrorHandler())
                .choice()
                    .when(method(WebBeans.ACTIONS, "wantsPage"))
                        .bean(WebBeans.ACTIONS, "redirectToPage")
                    .otherwise()
                        .bean(WebBeans.ACTIONS, "jsonAnswer")
                        .marshal().json(JsonLibrary.Jackson)
                .end();
    }
}
