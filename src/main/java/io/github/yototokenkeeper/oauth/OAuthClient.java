package io.github.yototokenkeeper.oauth;

import io.github.yototokenkeeper.config.KeeperSettings;
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

/**
 * The keeper's one client of the OAuth server and the Yoto API: the form of every grant it sends (RFC 6749 §6
 * refresh, RFC 8628 device code), the camel-http endpoint of every call with all its timeouts, and how to read what
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
        String timeout = String.valueOf(settings.httpTimeout().toMillis());
        return url + (url.contains("?") ? "&" : "?") + "httpMethod=" + method
                + "&throwExceptionOnFailure=false&followRedirects=false&skipControlHeaders=true&copyHeaders=false"
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
