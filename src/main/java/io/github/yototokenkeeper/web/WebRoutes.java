package io.github.yototokenkeeper.web;

import io.github.yototokenkeeper.login.BrowserLoginRoutes;
import io.github.yototokenkeeper.login.DeviceLoginRoutes;
import io.github.yototokenkeeper.token.TokenRefreshRoutes;
import org.apache.camel.builder.PredicateBuilder;
import org.apache.camel.builder.RouteBuilder;

/**
 * The page and the {@code /auth} API on platform-http. Each route: guard the request, act, answer. The routes take
 * every method and the guard answers 405 itself, so that refusals are JSON like everything else.
 */
public class WebRoutes extends RouteBuilder {

    private static final String ANSWER = "direct:yoto-keeper-web-answer";

    private final String base;
    private final WebActions actions;
    private final WebAnswers answers;

    /** @param base the web path: "" standalone, /yoto-keeper (or yoto.keeper.web-path) in a host application */
    public WebRoutes(String base, WebActions actions, WebAnswers answers) {
        this.base = base;
        this.actions = actions;
        this.answers = answers;
    }

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
        from(web("/"))
                .routeId("yoto-keeper-web-page").routeConfigurationId(WebErrorHandling.ID)
                .process(actions::allowPage)
                .process(actions::page);

        from(web("/auth/status"))
                .routeId("yoto-keeper-web-status").routeConfigurationId(WebErrorHandling.ID)
                .process(actions::allowRead)
                .setBody(exchange -> actions.status())
                .to(ANSWER);

        from(web("/auth/browser/start"))
                .routeId("yoto-keeper-web-sign-in-start").routeConfigurationId(WebErrorHandling.ID)
                .process(actions::allowAction)
                .process(actions::startSignIn)
                .setBody(actions::signInAnswer) // a form goes on to Yoto (303); fetch gets the address as JSON
                .filter(PredicateBuilder.not(actions::wantsPage))
                    .marshal(answers.jsonFormat())
                .end();

        // Yoto's login page sends the browser back here; failures are pages (SignInErrorHandling), success the keeper's page
        from(web("/auth/callback"))
                .routeId("yoto-keeper-web-sign-in-callback").routeConfigurationId(SignInErrorHandling.ID)
                .process(actions::allowCallback)
                .to(BrowserLoginRoutes.CALLBACK)
                .process(actions::signedIn);

        from(web("/auth/device/start"))
                .routeId("yoto-keeper-web-login-start").routeConfigurationId(WebErrorHandling.ID)
                .process(actions::allowAction)
                .process(exchange -> actions.requireDeviceLogin())
                .to(DeviceLoginRoutes.START)
                .to(ANSWER);

        from(web("/auth/refresh"))
                .routeId("yoto-keeper-web-refresh").routeConfigurationId(WebErrorHandling.ID)
                .process(actions::allowAction)
                .process(exchange -> actions.requireSession())
                .to(TokenRefreshRoutes.REFRESH)
                .setBody(exchange -> actions.status())
                .to(ANSWER);

        from(web("/auth/logout"))
                .routeId("yoto-keeper-web-logout").routeConfigurationId(WebErrorHandling.ID)
                .process(actions::allowAction)
                .process(exchange -> actions.logout())
                .setBody(exchange -> actions.status())
                .to(ANSWER);

        from(web("/metrics"))
                .routeId("yoto-keeper-web-metrics").routeConfigurationId(WebErrorHandling.ID)
                .process(actions::allowRead)
                .process(actions::metrics);

        from(web("/health"))
                .routeId("yoto-keeper-web-health").routeConfigurationId(WebErrorHandling.ID)
                .process(actions::allowHealth)
                .process(answers::json)
                .setBody(constant("{\"status\":\"UP\"}")); // a constant: a health check needs no JSON library

        from(ANSWER)
                .routeId("yoto-keeper-web-answer")
                .errorHandler(noErrorHandler())
                .choice()
                    .when(actions::wantsPage)
                        .process(answers::redirectToPage)
                    .otherwise()
                        .process(answers::json)
                        .marshal(answers.jsonFormat())
                .end();
    }
}
