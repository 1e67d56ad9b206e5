package io.github.yototokenkeeper.api;

import io.github.yototokenkeeper.token.TokenRefreshRoutes;
import io.github.yototokenkeeper.token.TokenSession;
import io.github.yototokenkeeper.web.WebBeans;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.DataFormat;

/**
 * The household's other programs use the keeper's login here, and never refresh it themselves: {@code GET /api/token}
 * hands out the access token, {@code /api/yoto/...} forwards a call to the Yoto API with it. Each route: guard, act
 * (refreshing first through the one refresh path when the token is due), answer, audit.
 */
public class ProgramApiRoutes extends RouteBuilder {

    private static final String CALL = "direct:yoto-keeper-api-proxy-call";

    private final String base;
    private final ProgramApi api;
    private final String yoto;
    private final DataFormat json;

    /**
     * @param base the web path: "" standalone, /yoto-keeper (or yoto.keeper.web-path) in a host application
     * @param yotoEndpoint camel-http to the Yoto API's server; each call's URL and method come in headers
     * @param json the web answers' one JSON data format (see {@link io.github.yototokenkeeper.web.WebAnswers#jsonFormat()})
     */
    public ProgramApiRoutes(String base, ProgramApi api, String yotoEndpoint, DataFormat json) {
        this.base = base;
        this.api = api;
        this.yoto = yotoEndpoint;
        this.json = json;
    }

    @Override
    public void configure() {
        // no body read for the token: the guard answers before any byte of one is read
        from("platform-http:" + base + "/api/token?useBodyHandler=false&headerFilterStrategy=#" + WebBeans.HEADER_FILTER)
                .routeId("yoto-keeper-api-token").routeConfigurationId(ApiErrorHandling.ID)
                .process(api::allowToken)
                .filter(exchange -> api.refreshFirst())
                    .to(TokenRefreshRoutes.REFRESH) // the one refresh path: concurrent requests share one refresh
                .end()
                .setBody(api::token)
                .marshal(json)
                .process(api::audit);

        // the body is read (up to camel.server.max-body-size, 1 MiB standalone) and forwarded
        from("platform-http:" + base + ProxyRules.PREFIX + "?matchOnUriPrefix=true&headerFilterStrategy=#" + WebBeans.HEADER_FILTER)
                .routeId("yoto-keeper-api-proxy").routeConfigurationId(ApiErrorHandling.ID)
                .process(api::allowProxy)
                .to(CALL)
                .filter(api::retryAfter401)
                    .log(LoggingLevel.INFO, TokenSession.LOG_NAME, "The Yoto API answered 401 to a proxied call with an access token at"
                            + " least a minute old (or one replaced since): retrying once, with a refreshed token")
                    .to(CALL)
                .end()
                .process(api::answer)
                .process(api::audit);

        from(CALL)
                .routeId("yoto-keeper-api-proxy-call")
                .errorHandler(noErrorHandler()) // failures go back to the proxy route's error handling
                .filter(exchange -> api.refreshFirst())
                    .to(TokenRefreshRoutes.REFRESH)
                .end()
                .process(api::prepareCall)
                .toD().uri(yoto).allowOptimisedComponents(false); // made at the first call: an idle keeper builds no HTTP client
    }
}
