package io.github.yototokenkeeper.oauth;

import io.github.yototokenkeeper.config.KeeperSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.hc.client5.http.entity.UrlEncodedFormEntity;
import org.apache.hc.core5.http.NameValuePair;
import org.apache.hc.core5.http.message.BasicNameValuePair;
import org.apache.hc.core5.net.URIBuilder;

/**
 * The keeper's one client of the OAuth server and the Yoto API: the form of every grant it sends (RFC 6749 §6
 * refresh, RFC 8628 device code, RFC 6749 §4.1 authorization code with RFC 7636 PKCE), the camel-http endpoint of every call with all its timeouts, and how to read what
 * comes back (which statuses say nothing, {@code Retry-After}). Routes only wire these to camel-http; the answers'
 * JSON is {@link TokenEndpointResponse}. A public client: no secret.
 */
public final class OAuthClient {

    /** Registry name of the {@link SingleAttemptHttpClient} every endpoint uses. */
    public static final String HTTP_CLIENT = "yotoKeeperHttpClientConfigurer";
    static final String DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

    private final KeeperSettings settings;

    public OAuthClient(KeeperSettings settings) {
        this.settings = settings;
    }

    public String tokenEndpoint() {
        return endpoint(settings.tokenUrl().toString(), "POST");
    }

    public String deviceCodeEndpoint() {
        return endpoint(settings.deviceCodeUrl().toString(), "POST");
    }

    /**
     * camel-http to {@code url}: every answer is read by the keeper (errors are JSON too), redirects are not followed,
     * the HTTP client never re-sends by itself, the caller's Camel headers are not sent and only the answer's headers
     * come back, and the configured timeout bounds connecting, waiting for a pooled connection and the answer.
     * Routes send to it with {@code toD().uri(...).allowOptimisedComponents(false)}: the same endpoint, made at the first
     * call instead of at start, so an idle or logged-out keeper never builds the HTTP client and its TLS context
     * (about 600 classes at start, issue 13).
     */
    public String endpoint(String url, String method) {
        return url + (url.contains("?") ? "&" : "?") + "httpMethod=" + method + "&skipControlHeaders=true" + common();
    }

    /**
     * As {@link #endpoint}, but the URL and method of each call come from the {@code CamelHttpUri} and
     * {@code CamelHttpMethod} headers, which the caller sets itself (the program API's proxy, whose calls vary): a
     * client's query string is never parsed as endpoint options. {@code url} only names the server.
     */
    public String forwardingEndpoint(String url) {
        return url + (url.contains("?") ? "&" : "?") + "skipControlHeaders=false" + common();
    }

    private String common() {
        String timeout = String.valueOf(settings.httpTimeout().toMillis());
        return "&throwExceptionOnFailure=false&followRedirects=false&copyHeaders=false"
                + "&httpClientConfigurer=#" + HTTP_CLIENT
                + "&connectTimeout=" + timeout + "&connectionRequestTimeout=" + timeout
                + "&responseTimeout=" + timeout + "&soTimeout=" + timeout;
    }

    /** RFC 6749 §6, as Yoto expects: grant_type, client_id, refresh_token, audience. */
    public UrlEncodedFormEntity refreshGrant(String refreshToken) {
        return form(new BasicNameValuePair("grant_type", "refresh_token"), clientId(),
                new BasicNameValuePair("refresh_token", refreshToken), audience());
    }

    /** RFC 8628 §3.1: client_id, scope, audience. */
    public UrlEncodedFormEntity deviceCodeRequest() {
        return form(clientId(), new BasicNameValuePair("scope", settings.scope()), audience());
    }

    /** RFC 8628 §3.4: the device access token request. */
    public UrlEncodedFormEntity deviceCodeGrant(String deviceCode) {
        return form(new BasicNameValuePair("grant_type", DEVICE_CODE_GRANT), new BasicNameValuePair("device_code", deviceCode),
                clientId(), audience());
    }

    /**
     * RFC 6749 §4.1.1 with RFC 7636 §4.3: where the browser signs in. {@code state} and the challenge are the caller's,
     * fresh for each sign-in; the browser comes back to {@code redirectUri}.
     */
    public URI authorizeUri(String state, String codeChallenge) {
        List<NameValuePair> query = List.of(new BasicNameValuePair("response_type", "code"), clientId(),
                new BasicNameValuePair("redirect_uri", settings.redirectUri().toString()),
                new BasicNameValuePair("scope", settings.scope()), audience(),
                new BasicNameValuePair("state", state),
                new BasicNameValuePair("code_challenge", codeChallenge),
                new BasicNameValuePair("code_challenge_method", "S256"));
        try {
            return new URIBuilder(settings.authorizeUrl()).addParameters(query).build();
        } catch (URISyntaxException unexpected) {
            throw new IllegalStateException("YOTO_AUTHORIZE_URL cannot take a query: " + unexpected.getMessage(), unexpected);
        }
    }

    /** RFC 6749 §4.1.3 with RFC 7636 §4.5: the code, the same redirect_uri, the client and the PKCE verifier. */
    public UrlEncodedFormEntity authorizationCodeGrant(String code, String codeVerifier) {
        return form(new BasicNameValuePair("grant_type", "authorization_code"), new BasicNameValuePair("code", code),
                new BasicNameValuePair("redirect_uri", settings.redirectUri().toString()), clientId(),
                new BasicNameValuePair("code_verifier", codeVerifier));
    }

    /** 5xx, redirects and anything below 200 say nothing about a grant: failures as they are, the body unread. */
    public static boolean saysNothing(int status) {
        return status >= 500 || status < 200 || (status >= 300 && status < 400);
    }

    /** 429: slowed down. Its body may still carry an OAuth error ({@code slow_down} for a device poll). */
    public static boolean rateLimited(int status) {
        return status == 429;
    }

    public static boolean successful(int status) {
        return status >= 200 && status < 300;
    }

    /**
     * RFC 9110 §10.2.3: {@code Retry-After} is delay-seconds or an HTTP date. Never negative (a past date is 0), never
     * beyond what a {@link Duration} holds; empty when absent or unreadable. The caller bounds it further.
     */
    public static Optional<Duration> retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        OptionalLong seconds = ServerSeconds.parse(header);
        if (seconds.isPresent()) {
            return Optional.of(Duration.ofSeconds(Math.max(0, seconds.getAsLong())));
        }
        try {
            Instant until = ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(until.isAfter(now) ? Duration.between(now, until) : Duration.ZERO);
        } catch (DateTimeParseException notADate) {
            return Optional.empty();
        }
    }

    private BasicNameValuePair clientId() {
        return new BasicNameValuePair("client_id", settings.clientId().orElseThrow(
                () -> new IllegalStateException("no client id: a grant is sent only with YOTO_CLIENT_ID set")));
    }

    private BasicNameValuePair audience() {
        return new BasicNameValuePair("audience", settings.audience());
    }

    private static UrlEncodedFormEntity form(NameValuePair... fields) {
        return new UrlEncodedFormEntity(List.of(fields), StandardCharsets.UTF_8);
    }
}
