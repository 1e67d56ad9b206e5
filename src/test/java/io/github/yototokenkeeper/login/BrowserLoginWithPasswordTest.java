package io.github.yototokenkeeper.login;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.yototokenkeeper.support.KeeperMainTestSupport;
import io.github.yototokenkeeper.support.Tokens;
import io.github.yototokenkeeper.token.SessionState;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * With KEEPER_PASSWORD: starting a sign-in needs the password, the callback does not (Yoto's site sends the browser
 * there; the state and its cookie are the proof), and the callback's answer shows nothing of the session.
 */
class BrowserLoginWithPasswordTest extends KeeperMainTestSupport {

    private static final String PASSWORD = "correct horse battery staple";

    @Override
    protected void keeperProperties(Properties properties) {
        properties.put("yoto.keeper.password", PASSWORD);
    }

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theStartNeedsThePasswordAndTheCallbackItsCookieOnly() {
        String refreshToken = Tokens.refresh();
        yoto.stubFor(tokenEndpoint().withRequestBody(containing("grant_type=authorization_code"))
                .willReturn(okJson(tokenJson(Tokens.access(), refreshToken, 86_400))));
        startKeeper();
        assertThat(http("POST", "/auth/browser/start").statusCode()).isEqualTo(401);

        HttpResponse<String> start = http("POST", "/auth/browser/start", "Accept", "text/html", "Authorization", basic());
        assertThat(start.statusCode()).isEqualTo(303);
        String state = URI.create(start.headers().firstValue("Location").orElseThrow()).getRawQuery()
                .replaceAll(".*(?:^|&)state=([^&]+).*", "$1");
        String cookie = start.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];

        HttpResponse<String> forged = http("GET", "/auth/callback?code=c-" + Tokens.MARKER + "&state=" + state);
        assertThat(forged.statusCode()).as("no cookie: refused").isEqualTo(400);
        assertThat(forged.body()).doesNotContain("Access token").doesNotContain("Log out");

        HttpResponse<String> again = http("POST", "/auth/browser/start", "Accept", "text/html", "Authorization", basic());
        String secondState = URI.create(again.headers().firstValue("Location").orElseThrow()).getRawQuery()
                .replaceAll(".*(?:^|&)state=([^&]+).*", "$1");
        String secondCookie = again.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        HttpResponse<String> callback = http("GET", "/auth/callback?code=c-" + Tokens.MARKER + "&state=" + secondState,
                "Cookie", "other=1; " + secondCookie, "Authorization", basic());
        assertThat(callback.statusCode()).as(callback.body()).isEqualTo(303);
        assertThat(status().state()).isEqualTo(SessionState.AUTHENTICATED);
        LoggedRequest exchange = yoto.findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH))).get(0);
        assertThat(exchange.containsHeader("Authorization") || exchange.containsHeader("Cookie"))
                .as("neither the browser's password nor its cookies go on to Yoto").isFalse();
        assertThat(http("GET", "/").statusCode()).as("the page still asks the password").isEqualTo(401);
        // the first sign-in: the link carried without its cookie did not spend it; its own browser may still finish it, once
        assertThat(http("GET", "/auth/callback?code=c&state=" + state, "Cookie", cookie).statusCode()).isEqualTo(303);
        assertThat(http("GET", "/auth/callback?code=c&state=" + state, "Cookie", cookie).body()).contains("already been used");
    }
}
