package io.github.yototokenkeeper.oauth;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

/**
 * The token endpoint's HTTP client does exactly one request per refresh. Apache HttpClient would otherwise re-send a
 * request by itself after an I/O error or a 503/429 with Retry-After, and a re-sent refresh token that the server had
 * already rotated ends the session (RFC 9700 §4.14.2). Retrying is decided by the keeper, which knows that.
 */
public class SingleAttemptHttpClient implements HttpClientConfigurer {

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.disableAutomaticRetries().disableCookieManagement().disableRedirectHandling();
    }
}
