package io.github.yototokenkeeper.login;

import io.github.yototokenkeeper.oauth.LazyJson;
import io.github.yototokenkeeper.oauth.OAuthClient;
import io.github.yototokenkeeper.oauth.TokenEndpointResponse;
import org.apache.camel.builder.RouteBuilder;

/**
 * The browser sign-in's callback on the server side: claim the sign-in the callback names, exchange its code for the
 * tokens at the token endpoint (the same client as every refresh), and save the login. The decisions are
 * {@link BrowserLoginFlow}'s; every failure is a {@link BrowserLoginException} that says what went wrong.
 */
public class BrowserLoginRoutes extends RouteBuilder {

    /** Takes a {@link SignInCallback}; ends with the login saved, or fails saying why. */
    public static final String CALLBACK = "direct:yoto-keeper-sign-in-callback";

    private static final String CODE_EXCHANGE = "direct:yoto-keeper-sign-in-code-exchange";

    private final BrowserLoginFlow signIns;
    private final OAuthClient oauth;

    public BrowserLoginRoutes(BrowserLoginFlow signIns, OAuthClient oauth) {
        this.signIns = signIns;
        this.oauth = oauth;
    }

    @Override
    public void configure() {
        // No error handler of its own: a failure goes straight back to the web route, which shows it on a page.
        from(CALLBACK)
                .routeId("yoto-keeper-sign-in-callback")
                .errorHandler(noErrorHandler())
                .process(signIns::claim)
                .setBody(signIns::codeGrant)
                .removeHeaders("*")
                .doTry()
                    .to(CODE_EXCHANGE)
                .doCatch(Exception.class)
                    .process(signIns::exchangeFailed) // says what failed: no answer, a timeout, not JSON, a 5xx
                .end()
                .process(signIns::complete);

        from(CODE_EXCHANGE)
                .routeId("yoto-keeper-sign-in-code-exchange")
                .errorHandler(noErrorHandler())
                .toD().uri(oauth.tokenEndpoint()).allowOptimisedComponents(false) // made at the first sign-in, not at start
                .process(signIns::checkStatus)
                .unmarshal(LazyJson.reading(TokenEndpointResponse.class));
    }

}
