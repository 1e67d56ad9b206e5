package io.github.yototokenkeeper.config;

/**
 * Every setting of the keeper: its property key (under the {@code yoto.keeper.} prefix, the name a host application
 * uses) and the environment variable that sets it in the standalone service (see application.properties).
 */
public enum Setting {
    CLIENT_ID("client-id", "YOTO_CLIENT_ID"),
    TOKEN_FILE("token-file", "YOTO_REFRESH_TOKEN_FILE"),
    RAILWAY_ENVIRONMENT("railway-environment", "RAILWAY_ENVIRONMENT_NAME"),
    REFRESH_INTERVAL_HOURS("refresh-interval-hours", "TOKEN_REFRESH_INTERVAL_HOURS"),
    EARLY_REFRESH_MARGIN_SECONDS("early-refresh-margin-seconds", "TOKEN_EARLY_REFRESH_SECONDS"),
    EXPIRY_CHECK_SECONDS("expiry-check-seconds", "TOKEN_EXPIRY_CHECK_SECONDS"),
    FIRST_RETRY_SECONDS("first-retry-seconds", "TOKEN_RETRY_SECONDS"),
    HTTP_TIMEOUT_SECONDS("http-timeout-seconds", "YOTO_HTTP_TIMEOUT_SECONDS"),
    TOKEN_URL("token-url", "YOTO_TOKEN_URL"),
    DEVICE_CODE_URL("device-code-url", "YOTO_DEVICE_CODE_URL"),
    AUTHORIZE_URL("authorize-url", "YOTO_AUTHORIZE_URL"),
    REDIRECT_URI("redirect-uri", "YOTO_REDIRECT_URI"),
    LOGIN_FLOW("login-flow", "YOTO_LOGIN_FLOW"),
    AUDIENCE("audience", "YOTO_AUDIENCE"),
    SCOPE("scope", "YOTO_SCOPE"),
    PASSWORD("password", "KEEPER_PASSWORD"),
    AUTH("auth", "KEEPER_AUTH"),
    ALLOWED_HOSTS("allowed-hosts", "KEEPER_ALLOWED_HOSTS"),
    PUBLIC_DOMAIN("public-domain", "RAILWAY_PUBLIC_DOMAIN"),
    API_URL("api-url", "YOTO_API_URL"),
    ALERT_URI("alert-uri", "KEEPER_ALERT_URI"),
    CLUSTER_ENABLED("cluster-enabled", "KEEPER_CLUSTER"),
    CLUSTER_LOCK_SECONDS("cluster-lock-seconds", "KEEPER_CLUSTER_LOCK_SECONDS"),
    WEB_ENABLED("web-enabled", "KEEPER_WEB_ENABLED"),
    WEB_PATH("web-path", "KEEPER_WEB_PATH"),
    API_KEYS("api-keys", "KEEPER_API_KEYS"),
    API_KEYS_FILE("api-keys-file", "KEEPER_API_KEYS_FILE"),
    API_RATE_LIMIT("api-rate-limit-per-minute", "KEEPER_API_RATE_LIMIT"),
    ACCESS_TOKEN_FILE("access-token-file", "YOTO_ACCESS_TOKEN_FILE"),
    DEVICE_POLL_TIME_SCALE("device-poll-time-scale", "YOTO_DEVICE_POLL_TIME_SCALE");

    public static final String PREFIX = "yoto.keeper.";

    private final String key;
    private final String variable;

    Setting(String name, String variable) {
        this.key = PREFIX + name;
        this.variable = variable;
    }

    public String key() {
        return key;
    }

    public String variable() {
        return variable;
    }

    /** How an error message names this setting: the variable users set, and the property behind it. */
    public String describe() {
        return variable + " (" + key + ")";
    }
}
