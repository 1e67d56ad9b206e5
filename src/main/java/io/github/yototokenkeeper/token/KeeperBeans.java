package io.github.yototokenkeeper.token;

/** Registry names of the keeper's beans, prefixed so they never clash with a host application's. */
public final class KeeperBeans {

    public static final String SETTINGS = "yotoKeeperSettings";
    public static final String STATE = "yotoKeeperState";
    public static final String TOKEN_FILE = "yotoKeeperTokenFile";
    public static final String KEEPER = "yotoTokenKeeper";
    public static final String LOGINS = "yotoKeeperLogins";
    public static final String API = "yotoKeeperApi";
    /** Optional: a java.time.Clock bound under this name replaces the system clock (for tests of expiry). */
    public static final String CLOCK = "yotoKeeperClock";
    public static final String HTTP_CLIENT_CONFIGURER = "yotoKeeperHttpClientConfigurer";

    private KeeperBeans() {
    }
}
