package io.github.yototokenkeeper.embed;

/** The endpoints and headers a host application uses. Documented in the README; their names do not change. */
public final class YotoEndpoints {

    /** Answers a valid access token in the body, refreshing first when it is missing or about to expire. */
    public static final String ACCESS_TOKEN = "direct:yoto-access-token";
    /** Sets {@code Authorization: Bearer <access token>} on the exchange; the body is left alone. */
    public static final String AUTHORIZE = "direct:yoto-authorize";
    /**
     * Calls the Yoto API: path from the {@link #API_PATH} header (method from {@link #API_METHOD}, GET by default),
     * with the bearer token; on a 401 it refreshes once and retries once. Other non-2xx answers fail the exchange.
     */
    public static final String API = "direct:yoto-api";
    /**
     * The keeper sends every new access token here (body: the token, header {@link #ACCESS_TOKEN_EXPIRES_AT}), after a
     * refresh or a login. Consume it to reconnect Yoto's MQTT, whose password is the access token. Nothing happens
     * when no route consumes it.
     */
    public static final String TOKEN_REFRESHED = "direct:yoto-token-refreshed";

    public static final String API_PATH = "YotoApiPath";
    public static final String API_METHOD = "YotoApiMethod";
    public static final String ACCESS_TOKEN_EXPIRES_AT = "YotoAccessTokenExpiresAt";

    private YotoEndpoints() {
    }
}
