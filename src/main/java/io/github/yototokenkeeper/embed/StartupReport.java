package io.github.yototokenkeeper.embed;

import io.github.yototokenkeeper.api.ApiGuard;
import io.github.yototokenkeeper.api.ApiKeys;
import io.github.yototokenkeeper.config.KeeperSettings;
import io.github.yototokenkeeper.config.MountPoints;
import io.github.yototokenkeeper.config.WebAccess;
import io.github.yototokenkeeper.token.AccessTokenFile;
import io.github.yototokenkeeper.token.SharedAccessToken;
import io.github.yototokenkeeper.token.TokenFile;
import io.github.yototokenkeeper.token.TokenSession;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator needs to know at start: where the token lives, how often it is refreshed, what is missing or
 * unsafe. The documented warnings: no client id, a long interval, no volume on Railway, no password on the network,
 * KEEPER_AUTH=none, a token file others could read.
 */
final class StartupReport {

    private static final Logger LOG = LoggerFactory.getLogger(TokenSession.LOG_NAME);

    private StartupReport() {
    }

    /** @param mountPoints the mount points of this machine (empty where that cannot be known) */
    static void log(KeeperSettings settings, TokenFile tokenFile, boolean web, Optional<Set<Path>> mountPoints) {
        LOG.info("Token file: {}; token endpoint: {}", tokenFile.path(), settings.tokenUrl());
        int removed = tokenFile.removeLeftoverTemporaryFiles();
        if (removed > 0) {
            LOG.info("Removed {} temporary file(s) an interrupted write left beside the token file", removed);
        }
        // files copied in by hand may be world-readable; the keeper itself writes them owner only
        tokenFile.tightenPermissions().ifPresent(change -> LOG.warn("{}", change));
        new SharedAccessToken(tokenFile.path()).tightenPermissions().ifPresent(change -> LOG.warn("{}", change));
        if (!settings.hasClientId()) {
            LOG.warn("YOTO_CLIENT_ID is not set: the keeper starts but cannot log in or refresh tokens."
                    + " Set YOTO_CLIENT_ID to your Yoto app's client id (https://dashboard.yoto.dev) and restart");
        }
        if (settings.refreshIntervalHours() > KeeperSettings.WARN_INTERVAL_HOURS) {
            LOG.warn("TOKEN_REFRESH_INTERVAL_HOURS={} is long: Yoto access tokens last about a day, so tokens may expire"
                    + " between refreshes if one fails", settings.refreshIntervalHours());
        }
        if (settings.onRailway()) {
            mountPoints.filter(mounts -> !MountPoints.isOnVolume(tokenFile.path().getParent(), mounts))
                    .ifPresent(mounts -> LOG.warn("RAILWAY_ENVIRONMENT_NAME is set but {} is not on a mounted volume: the refresh"
                            + " token will be LOST at the next redeploy. Attach a volume at /data in Railway (or point"
                            + " YOTO_REFRESH_TOKEN_FILE at one)", tokenFile.path().getParent()));
        }
        if (web && settings.webAccess() == WebAccess.LOCKED) {
            LOG.warn("KEEPER_PASSWORD is not set and the web page listens on {}, reachable from other machines: the page"
                    + " and /auth/* refuse everything (403) until you set KEEPER_PASSWORD (at least {} characters, user admin)."
                    + " Or set HOST=127.0.0.1 to keep the keeper on this machine, or KEEPER_AUTH=none behind your own proxy"
                    + " that asks for a password", settings.webHost(), KeeperSettings.MIN_PASSWORD_LENGTH);
        }
        if (web && settings.passwordless()) {
            LOG.warn("KEEPER_AUTH=none: the keeper asks no password on {}. Anyone who reaches it directly can connect their"
                    + " own Yoto account or log it out: run it like this only behind your own proxy that asks for a password",
                    settings.webHost());
        }
        if (web && settings.loginFlows().browser()) {
            LOG.info("Sign in with Yoto returns to {}: register this exact callback URL for your app at dashboard.yoto.dev"
                    + " (or set YOTO_LOGIN_FLOW=device to use codes only)", settings.redirectUri());
            String host = settings.redirectUri().getHost();
            if ("http".equalsIgnoreCase(settings.redirectUri().getScheme())
                    && !(host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"))) {
                LOG.warn("YOTO_REDIRECT_URI {} is plain http on another machine's address: the sign-in code would cross the"
                        + " network unencrypted (RFC 9700 allows plain http only on loopback). Use https", settings.redirectUri());
            }
            String callbackPath = settings.webPath() + "/auth/callback";
            if (!settings.redirectUri().getPath().equals(callbackPath)) {
                LOG.warn("YOTO_REDIRECT_URI ends in {}, but the keeper takes the callback at {}: only a proxy that rewrites the"
                        + " path brings a sign-in back", settings.redirectUri().getPath(), callbackPath);
            }
        }
        LOG.info("Starting background token refresh task (every {} hours)", settings.refreshIntervalHours());
    }

    /** How programs reach the login: the API's access (never a key), and the access token file. */
    static void logProgramApi(KeeperSettings settings, boolean web, ApiGuard.Access access, ApiKeys keys,
            Optional<AccessTokenFile> accessTokenFile) {
        accessTokenFile.ifPresent(file -> {
            file.tightenPermissions().ifPresent(change -> LOG.warn("{}", change));
            LOG.info("Every new access token is written to {} (YOTO_ACCESS_TOKEN_FILE) for programs on this machine", file.path());
        });
        if (!web) {
            return;
        }
        switch (access) {
            case KEYS -> LOG.info("Program API {}/api/token and {}/api/yoto/...: {} API key(s): {}; at most {} requests a minute each",
                    settings.webPath(), settings.webPath(), keys.names().size(), String.join(", ", keys.names()), settings.apiRateLimitPerMinute());
            case LOCAL -> LOG.info("Program API {}/api/token and {}/api/yoto/...: open without a key to programs on this machine ({},"
                    + " no KEEPER_PASSWORD, no KEEPER_API_KEYS)", settings.webPath(), settings.webPath(), settings.webHost());
            case LOCKED -> LOG.info("Program API {}/api/*: refused (403) until KEEPER_API_KEYS is set, as {}", settings.webPath(),
                    settings.apiKeysRequiredBecause().orElse("keys are required"));
        }
    }
}
