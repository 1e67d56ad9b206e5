package io.github.yototokenkeeper.login;

import java.net.URI;
import java.time.Duration;

/**
 * A sign-in just started: where to send the browser ({@code authorizeUri}, with the state and the PKCE challenge), the
 * value of the cookie that ties it to this browser, and how long it may take. The verifier stays with
 * {@link BrowserLoginFlow}.
 */
public record BrowserAuthorization(URI authorizeUri, String browserCookie, URI redirectUri, Duration lifetime) {

    @Override
    public String toString() {
        return "BrowserAuthorization[redirectUri=" + redirectUri + "]";
    }
}
