package io.github.yototokenkeeper.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The keeper's settings, read and validated once at start. A value the keeper cannot run with stops the start with
 * one clear sentence; a missing client id does not (the service starts and says what is missing).
 */
public record KeeperSettings(
        Optional<String> clientId,
        Path tokenFile,
        boolean onRailway,
        Duration refreshInterval,
        Duration earlyRefreshMargin,
        Duration expiryCheckPeriod,
        Duration firstRetry,
        Duration httpTimeout,
        URI tokenUrl,
        URI deviceCodeUrl,
        String audience,
        String scope,
        Optional<String> password,
        boolean passwordless,
        List<String> allowedHosts,
        String webHost,
        double devicePollTimeScale,
        URI apiUrl,
        Optional<Boolean> webEnabled,
        String webPath,
        Optional<String> alertUri,
        boolean clusterEnabled,
        Duration clusterLockInterval,
        URI authorizeUrl,
        URI redirectUri,
        LoginFlows loginFlows,
        Optional<String> apiKeys,
        Optional<Path> apiKeysFile,
        int apiRateLimitPerMinute,
        Optional<Path> accessTokenFile) {

    /** Where the web routes live when the keeper is embedded in a host application (standalone: "/"). */
    public static final String EMBEDDED_WEB_PATH = "/yoto-keeper";

    public static final String LOCAL_TOKEN_FILE = ".yoto_refresh_token";
    public static final String RAILWAY_TOKEN_FILE = "/data/.yoto_refresh_token";
    public static final int MIN_INTERVAL_HOURS = 1;
    public static final int MAX_INTERVAL_HOURS = 23;
    /** Above this many hours a day-long access token may lapse between two refreshes. */
    public static final int WARN_INTERVAL_HOURS = 20;
    /** A shorter KEEPER_PASSWORD on a public URL could be guessed; twelve characters cannot, even unthrottled. */
    public static final int MIN_PASSWORD_LENGTH = 12;

    /**
     * Reads every setting through {@code lookup} (a property key to its resolved value, or null when unset).
     *
     * @throws InvalidSettingException naming the first setting whose value is not allowed
     */
    public static KeeperSettings from(Function<String, String> lookup) {
        Function<Setting, Optional<String>> value = s -> Optional.ofNullable(lookup.apply(s.key()))
                .map(String::trim).filter(v -> !v.isEmpty());
        Optional<String> railway = value.apply(Setting.RAILWAY_ENVIRONMENT);
        String webPath = webPath(value.apply(Setting.WEB_PATH).orElse(EMBEDDED_WEB_PATH));
        return new KeeperSettings(
                value.apply(Setting.CLIENT_ID),
                tokenFile(value.apply(Setting.TOKEN_FILE), railway.isPresent()),
                railway.isPresent(),
                Duration.ofHours(refreshIntervalHours(lookup.apply(Setting.REFRESH_INTERVAL_HOURS.key()))),
                Duration.ofSeconds(wholeNumber(Setting.EARLY_REFRESH_MARGIN_SECONDS, value, 300, 0, 86_400)),
                Duration.ofSeconds(wholeNumber(Setting.EXPIRY_CHECK_SECONDS, value, 30, 1, 3_600)),
                Duration.ofSeconds(wholeNumber(Setting.FIRST_RETRY_SECONDS, value, 30, 1, 3_600)),
                Duration.ofSeconds(wholeNumber(Setting.HTTP_TIMEOUT_SECONDS, value, 30, 1, 600)),
                httpUrl(Setting.TOKEN_URL, value, "https://login.yotoplay.com/oauth/token"),
                httpUrl(Setting.DEVICE_CODE_URL, value, "https://login.yotoplay.com/oauth/device/code"),
                value.apply(Setting.AUDIENCE).orElse("https://api.yotoplay.com"),
                value.apply(Setting.SCOPE).orElse("profile offline_access"),
                password(lookup.apply(Setting.PASSWORD.key())),
                passwordless(value.apply(Setting.AUTH), lookup.apply(Setting.PASSWORD.key())),
                allowedHosts(value.apply(Setting.ALLOWED_HOSTS), value.apply(Setting.PUBLIC_DOMAIN)),
                Optional.ofNullable(lookup.apply("camel.server.host")).filter(h -> !h.isBlank()).orElse("0.0.0.0"),
                timeScale(value.apply(Setting.DEVICE_POLL_TIME_SCALE)),
                httpUrl(Setting.API_URL, value, "https://api.yotoplay.com"),
                webEnabled(value.apply(Setting.WEB_ENABLED)),
                webPath,
                value.apply(Setting.ALERT_URI),
                bool(Setting.CLUSTER_ENABLED, value.apply(Setting.CLUSTER_ENABLED)).orElse(false),
                Duration.ofSeconds(wholeNumber(Setting.CLUSTER_LOCK_SECONDS, value, 10, 1, 3600)),
                httpUrl(Setting.AUTHORIZE_URL, value, "https://login.yotoplay.com/authorize"),
                redirectUri(value, webPath, lookup.apply("camel.server.port")),
                LoginFlows.parse(value.apply(Setting.LOGIN_FLOW)),
                value.apply(Setting.API_KEYS),
                value.apply(Setting.API_KEYS_FILE).map(file -> path(Setting.API_KEYS_FILE, file)),
                (int) wholeNumber(Setting.API_RATE_LIMIT, value, 60, 1, 100_000),
                accessTokenFile(value.apply(Setting.ACCESS_TOKEN_FILE), tokenFile(value.apply(Setting.TOKEN_FILE), railway.isPresent())));
    }

    /**
     * Where Yoto sends the browser back after a sign-in: YOTO_REDIRECT_URI; else on Railway the service's public https
     * address; else the loopback address Yoto's guide registers for local apps. Never taken from a request's Host.
     */
    private static URI redirectUri(Function<Setting, Optional<String>> value, String webPath, String port) {
        String callback = webPath + "/auth/callback";
        Optional<String> publicDomain = value.apply(Setting.PUBLIC_DOMAIN);
        String fallback = publicDomain.map(domain -> "https://" + domain + callback)
                .orElseGet(() -> "http://127.0.0.1:" + (port == null || port.isBlank() ? "8080" : port.trim()) + callback);
        URI uri = httpUrl(Setting.REDIRECT_URI, value, fallback);
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new InvalidSettingException(Setting.REDIRECT_URI.describe() + "='" + uri
                    + "' is not allowed: use the address without ?query or #fragment, such as https://keeper.example.com/auth/callback");
        }
        return uri;
    }

    /** Never the refresh token's own file: programs would read, and the keeper overwrite, the refresh token. */
    private static Optional<Path> accessTokenFile(Optional<String> raw, Path refreshTokenFile) {
        Optional<Path> file = raw.map(name -> path(Setting.ACCESS_TOKEN_FILE, name));
        file.filter(f -> f.toAbsolutePath().normalize().equals(refreshTokenFile.toAbsolutePath().normalize())).ifPresent(same -> {
            throw new InvalidSettingException(Setting.ACCESS_TOKEN_FILE.describe() + " is the refresh token's own file (" + same
                    + "): name another file, such as " + refreshTokenFile.resolveSibling("yoto_access_token.json"));
        });
        return file;
    }

    private static Path path(Setting setting, String file) {
        try {
            return Path.of(file);
        } catch (InvalidPathException e) {
            throw new InvalidSettingException(setting.describe() + "='" + file + "' is not a valid path: " + e.getReason());
        }
    }

    /** Unset or empty: no password. Set: at least {@link #MIN_PASSWORD_LENGTH} characters (the value is never shown). */
    private static Optional<String> password(String raw) {
        Optional<String> password = Optional.ofNullable(raw).filter(p -> !p.isEmpty());
        password.filter(p -> p.codePointCount(0, p.length()) < MIN_PASSWORD_LENGTH).ifPresent(tooShort -> {
            throw new InvalidSettingException(Setting.PASSWORD.describe() + " is " + tooShort.codePointCount(0, tooShort.length())
                    + " characters long: use at least " + MIN_PASSWORD_LENGTH + " (a passphrase of a few words is fine)");
        });
        return password;
    }

    /** KEEPER_AUTH: password (the default) or none, for a keeper behind the operator's own authenticating proxy. */
    private static boolean passwordless(Optional<String> auth, String password) {
        boolean none = auth.map(v -> switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "password" -> false;
            case "none" -> true;
            default -> throw new InvalidSettingException(Setting.AUTH.describe() + "='" + v
                    + "' is not allowed: use password (the default) or none (only behind a proxy that asks for a password itself)");
        }).orElse(false);
        if (none && password != null && !password.isEmpty()) {
            throw new InvalidSettingException(Setting.AUTH.describe() + "=none and " + Setting.PASSWORD.variable()
                    + " are both set: unset one (none: your proxy asks for the password; KEEPER_PASSWORD: the keeper asks)");
        }
        return none;
    }

    /** The host names the page answers to besides loopback names and IP addresses: lower case, without a port. */
    private static List<String> allowedHosts(Optional<String> listed, Optional<String> publicDomain) {
        List<String> names = new ArrayList<>();
        publicDomain.ifPresent(names::add);
        listed.ifPresent(list -> Arrays.stream(list.split(",")).map(String::strip).filter(n -> !n.isEmpty()).forEach(names::add));
        return names.stream().map(name -> {
            String host = name.toLowerCase(java.util.Locale.ROOT).replaceFirst("\\.$", "");
            if (!host.matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?")) {
                throw new InvalidSettingException(Setting.ALLOWED_HOSTS.describe() + " (or RAILWAY_PUBLIC_DOMAIN) has '" + name
                        + "': use host names only, comma-separated, without scheme or port (keeper.example.com,nas.local)");
            }
            return host;
        }).distinct().toList();
    }

    /** The names the page answers to without a password: {@link #allowedHosts()} and the callback URL's host. */
    public List<String> pageHostNames() {
        List<String> names = new ArrayList<>(allowedHosts);
        names.add(redirectUri.getHost().toLowerCase(java.util.Locale.ROOT));
        return names.stream().distinct().toList();
    }

    /** Who may use the page and /auth/*: see {@link WebAccess}. */
    public WebAccess webAccess() {
        if (password.isPresent()) {
            return WebAccess.PASSWORD;
        }
        return passwordless || !webReachableFromNetwork() ? WebAccess.OPEN : WebAccess.LOCKED;
    }

    /** true, false, or auto (empty): on when the host application has platform-http. */
    private static Optional<Boolean> webEnabled(Optional<String> raw) {
        return raw.filter(v -> !v.equalsIgnoreCase("auto")).map(v -> switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidSettingException(Setting.WEB_ENABLED.describe() + "='" + v + "' is not allowed: use true, false or auto");
        });
    }

    private static Optional<Boolean> bool(Setting setting, Optional<String> raw) {
        return raw.map(v -> switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidSettingException(setting.describe() + "='" + v + "' is not allowed: use true or false");
        });
    }

    /** "/" or "/some/path" without a trailing slash; returned as "" for the root. */
    private static String webPath(String raw) {
        String path = raw.trim();
        if (!path.startsWith("/") || !path.matches("[A-Za-z0-9/._~-]*") || path.contains("//")) {
            throw new InvalidSettingException(Setting.WEB_PATH.describe() + "='" + raw + "' is not allowed: use a path such as / or /yoto-keeper");
        }
        return path.replaceAll("/+$", "");
    }

    /** For tests: scales the device flow's poll intervals (0.05 turns five seconds into a quarter of a second). */
    private static double timeScale(Optional<String> raw) {
        if (raw.isEmpty()) {
            return 1.0;
        }
        try {
            double scale = Double.parseDouble(raw.get());
            if (scale > 0 && scale <= 1) {
                return scale;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new InvalidSettingException(Setting.DEVICE_POLL_TIME_SCALE.describe() + "='" + raw.get()
                + "' is not allowed: use a number above 0 and at most 1");
    }

    /**
     * Without API keys, may programs use {@code /api/*}? Only when the server listens on a loopback address and no
     * password is set: then only programs on this machine reach it, as they would reach the page. Never when the page
     * has a password (a password does not open the API, and a local proxy in front of a loopback keeper would open the
     * token to everyone it serves), and never with KEEPER_AUTH=none on the network (the operator's proxy may not guard
     * {@code /api}, and anyone who reaches the port directly would get the token).
     */
    public boolean apiOpenWithoutKeys() {
        return webAccess() == WebAccess.OPEN && !webReachableFromNetwork();
    }

    /** Why {@code /api/*} needs keys here (empty where it is open without them): for the 403 and the start-up line. */
    public Optional<String> apiKeysRequiredBecause() {
        if (apiOpenWithoutKeys()) {
            return Optional.empty();
        }
        if (password.isPresent()) {
            return Optional.of("KEEPER_PASSWORD is set, and the page's password does not open the API (a proxy in front of"
                    + " the keeper would hand the token to everyone it serves)");
        }
        if (passwordless) {
            return Optional.of("KEEPER_AUTH=none with the server on " + webHost + ": your proxy may not guard /api, and anyone who"
                    + " reaches the port directly would get the token");
        }
        return Optional.of("the server listens on " + webHost + ", reachable from the network");
    }

    /** Is the web server reachable from other machines? (Then an unset KEEPER_PASSWORD leaves the page open.) */
    public boolean webReachableFromNetwork() {
        return !(webHost.equals("localhost") || webHost.startsWith("127.") || webHost.equals("::1") || webHost.equals("[::1]"));
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "KeeperSettings[clientId " + (clientId.isPresent() ? "set" : "unset") + ", tokenFile=" + tokenFile
                + ", refreshInterval=" + refreshInterval + ", tokenUrl=" + tokenUrl + ", deviceCodeUrl=" + deviceCodeUrl
                + ", password " + (password.isPresent() ? "set" : "unset") + ", webAccess=" + webAccess()
                + ", apiKeys " + (apiKeys.isPresent() || apiKeysFile.isPresent() ? "set" : "unset") + "]";
    }

    /** An explicit file wins; on Railway the token lives on the volume at /data; else in the working directory. */
    static Path tokenFile(Optional<String> explicit, boolean onRailway) {
        String file = explicit.orElse(onRailway ? RAILWAY_TOKEN_FILE : LOCAL_TOKEN_FILE);
        try {
            return Path.of(file);
        } catch (InvalidPathException e) {
            throw new InvalidSettingException(Setting.TOKEN_FILE.describe() + "='" + file + "' is not a valid path: " + e.getReason());
        }
    }

    /** Whole hours from 1 to 23; anything else (0, 24, -3, abc, 12.5, empty) is refused. Unset means 12. */
    static int refreshIntervalHours(String raw) {
        if (raw == null) {
            return 12;
        }
        String text = raw.trim();
        try {
            int hours = Integer.parseInt(text);
            if (hours >= MIN_INTERVAL_HOURS && hours <= MAX_INTERVAL_HOURS) {
                return hours;
            }
        } catch (NumberFormatException notAWholeNumber) {
            // reported below, with the allowed range
        }
        throw new InvalidSettingException(Setting.REFRESH_INTERVAL_HOURS.variable() + "='" + raw
                + "' is not allowed: use a whole number of hours from " + MIN_INTERVAL_HOURS + " to " + MAX_INTERVAL_HOURS
                + " (default 12)");
    }

    private static long wholeNumber(Setting setting, Function<Setting, Optional<String>> value, long fallback, long min, long max) {
        Optional<String> raw = value.apply(setting);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            long number = Long.parseLong(raw.get());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException notAWholeNumber) {
            // reported below
        }
        throw new InvalidSettingException(setting.describe() + "='" + raw.get() + "' is not allowed: use a whole number from "
                + min + " to " + max);
    }

    private static URI httpUrl(Setting setting, Function<Setting, Optional<String>> value, String fallback) {
        String raw = value.apply(setting).orElse(fallback);
        try {
            URI uri = new URI(raw);
            if (("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException notAUri) {
            // reported below
        }
        throw new InvalidSettingException(setting.describe() + "='" + raw + "' is not allowed: use an absolute http(s) URL");
    }

    /** A client id is set: logins and refreshes can be sent. */
    public boolean hasClientId() {
        return clientId.isPresent();
    }

    public long refreshIntervalHours() {
        return refreshInterval.toHours();
    }
}
