package io.github.yototokenkeeper.config;

import io.github.yototokenkeeper.token.KeeperBeans;
import io.github.yototokenkeeper.embed.AccessTokenRoutes;
import io.github.yototokenkeeper.embed.YotoApiCalls;
import io.github.yototokenkeeper.embed.YotoEndpoints;
import io.github.yototokenkeeper.login.DeviceLogins;
import io.github.yototokenkeeper.token.KeeperAlerts;
import io.github.yototokenkeeper.token.KeeperHttpClient;
import io.github.yototokenkeeper.token.KeeperMetrics;
import io.github.yototokenkeeper.token.SharedAccessToken;
import io.github.yototokenkeeper.token.TokenRefreshRoutes;
import io.github.yototokenkeeper.token.TokenHealthCheck;
import io.github.yototokenkeeper.web.JsonFallbackAnswers;
import io.github.yototokenkeeper.web.LoginPage;
import io.github.yototokenkeeper.web.StatusView;
import io.github.yototokenkeeper.web.WebActions;
import io.github.yototokenkeeper.web.WebBeans;
import io.github.yototokenkeeper.web.WebGuard;
import io.github.yototokenkeeper.token.RefreshPolicy;
import io.github.yototokenkeeper.token.TokenFile;
import io.github.yototokenkeeper.token.TokenKeeper;
import io.github.yototokenkeeper.token.TokenState;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the settings once and binds the keeper's beans, so that routes never build their own collaborators.
 * Refuses to start, with one clear line, when a setting has a value the keeper cannot run with, and refuses a second
 * keeper in the same Camel context.
 */
public final class KeeperWiring {

    private static final Logger LOG = LoggerFactory.getLogger(TokenKeeper.LOG_NAME);

    private KeeperWiring() {
    }

    /** Binds the keeper's beans into {@code context}'s registry; answers the settings they were made with. */
    public static KeeperSettings bind(CamelContext context) throws Exception {
        if (context.getRegistry().lookupByName(KeeperBeans.SETTINGS) != null) {
            throw new IllegalStateException("yoto-token-keeper is already set up in the Camel context '" + context.getName()
                    + "': add YotoTokenKeeper to a context once (a refresh token cannot have two keepers)");
        }
        PropertiesComponent properties = context.getPropertiesComponent();
        KeeperSettings settings = KeeperSettings.from(key -> properties.resolveProperty(key).orElse(null));
        // a host (or its test) may bind its own clock as "yotoKeeperClock"
        Clock clock = Optional.ofNullable(context.getRegistry().lookupByNameAndType(KeeperBeans.CLOCK, Clock.class)).orElse(Clock.systemUTC());
        TokenState state = new TokenState(clock);
        TokenFile tokenFile = new TokenFile(settings.tokenFile());
        RefreshPolicy policy = new RefreshPolicy(settings.refreshInterval(), settings.earlyRefreshMargin(), settings.firstRetry(),
                () -> ThreadLocalRandom.current().nextDouble());
        Registry registry = context.getRegistry();
        registry.bind(KeeperBeans.SETTINGS, settings);
        registry.bind(KeeperBeans.STATE, state);
        registry.bind(KeeperBeans.TOKEN_FILE, tokenFile);
        TokenKeeper keeper = new TokenKeeper(settings, tokenFile, state, policy);
        registry.bind(KeeperBeans.KEEPER, keeper);
        registry.bind(KeeperBeans.HTTP_CLIENT_CONFIGURER, new KeeperHttpClient());
        registry.bind(TokenHealthCheck.ID, new TokenHealthCheck(state));

        DeviceLogins logins = new DeviceLogins(settings, keeper, state.clock(), settings.devicePollTimeScale());
        registry.bind(KeeperBeans.LOGINS, logins);
        StatusView view = new StatusView(state, logins);
        registry.bind(WebBeans.HEADER_FILTER, WebActions.headerFilter());
        registry.bind(WebBeans.ACTIONS, new WebActions(new WebGuard(settings.webAccess(), settings.password(), settings.allowedHosts(), clock), view,
                new LoginPage(state, logins, view, settings), keeper, logins, settings.webPath()));
        registry.bind(KeeperBeans.API, new YotoApiCalls(settings));

        if (settings.clusterEnabled()) {
            CamelClusterService cluster = clusterService(context, tokenFile, settings);
            keeper.replicated(() -> isLeader(cluster), new SharedAccessToken(tokenFile.path()));
        }
        ProducerTemplate notifications = context.createProducerTemplate();
        settings.alertUri().ifPresent(uri -> keeper.alerts(new KeeperAlerts(message -> {
            try {
                notifications.sendBody(TokenRefreshRoutes.ALERTS + "?waitForTaskToComplete=Never", message);
            } catch (RuntimeException stopping) {
                LOG.warn("Alert not sent: {}", stopping.getMessage());
            }
        })));
        keeper.onRefreshed((accessToken, expiresAt) -> {
            try {
                notifications.sendBodyAndHeader(AccessTokenRoutes.notificationQueue(), accessToken,
                        YotoEndpoints.ACCESS_TOKEN_EXPIRES_AT, expiresAt);
            } catch (RuntimeException stopping) {
                LOG.debug("Refresh notification not sent: {}", stopping.getMessage());
            }
        });
        context.addStartupListener(new org.apache.camel.ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                report(settings, tokenFile, webEnabled(started, settings));
                // the application's Micrometer registry, when it has one (camel.metrics.enabled=true binds one)
                Optional.ofNullable(started.getRegistry().findSingleByType(io.micrometer.core.instrument.MeterRegistry.class))
                        .ifPresent(meters -> KeeperMetrics.bind(meters, state));
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
                if (settings.webPath().isEmpty() && webEnabled(started, settings)) {
                    JsonFallbackAnswers.install(started); // standalone only: a host keeps its own pages
                }
            }
        });
        return settings;
    }

    /** The cluster view's namespace: the keeper's timers run only on the replica that leads it. */
    public static final String CLUSTER_NAMESPACE = "yoto-keeper";

    /**
     * The application's cluster service when it has one (Kubernetes leases, ZooKeeper...), else a file lock in the token's
     * directory: every replica mounts the same volume there.
     */
    private static CamelClusterService clusterService(CamelContext context, TokenFile tokenFile, KeeperSettings settings) throws Exception {
        CamelClusterService existing = context.hasService(CamelClusterService.class);
        if (existing != null) {
            LOG.info("Replicas: the keeper follows the application's cluster service {}", existing.getId());
            return existing;
        }
        FileLockClusterService fileLock = new FileLockClusterService();
        fileLock.setId("yoto-keeper-file-lock");
        fileLock.setRoot(tokenFile.path().getParent().toString());
        fileLock.setAcquireLockDelay(1, TimeUnit.SECONDS);
        fileLock.setAcquireLockInterval(settings.clusterLockInterval().toMillis(), TimeUnit.MILLISECONDS);
        context.addService(fileLock);
        LOG.info("Replicas: only the holder of the lock in {} refreshes (checked every {} s)", fileLock.getRoot(),
                settings.clusterLockInterval().toSeconds());
        return fileLock;
    }

    private static boolean isLeader(CamelClusterService cluster) {
        try {
            return cluster.getView(CLUSTER_NAMESPACE).getLocalMember().isLeader();
        } catch (Exception notYet) {
            return false;
        }
    }

    /** The web routes: as configured, else on when the application has platform-http (they use its server). */
    public static boolean webEnabled(CamelContext context, KeeperSettings settings) {
        return settings.webEnabled().orElseGet(() ->
                context.getClassResolver().resolveClass("org.apache.camel.component.platform.http.PlatformHttpComponent") != null);
    }

    /** What an operator needs to know at start: where the token lives, how often it is refreshed, what is missing. */
    private static void report(KeeperSettings settings, TokenFile tokenFile, boolean web) {
        LOG.info("Token file: {}; token endpoint: {}", tokenFile.path(), settings.tokenUrl());
        int removed = tokenFile.removeLeftoverTemporaryFiles();
        if (removed > 0) {
            LOG.info("Removed {} temporary file(s) an interrupted write left beside the token file", removed);
        }
        // files copied in by hand may be world-readable; the keeper itself writes them owner only
        tokenFile.tightenPermissions().ifPresent(change -> LOG.warn("{}", change));
        new SharedAccessToken(tokenFile.path()).tightenPermissions().ifPresent(change -> LOG.warn("{}", change));
        if (settings.clientId().isEmpty()) {
            LOG.warn("YOTO_CLIENT_ID is not set: the keeper starts but cannot log in or refresh tokens."
                    + " Set YOTO_CLIENT_ID to your Yoto app's client id (https://dashboard.yoto.dev) and restart");
        }
        if (settings.refreshIntervalHours() > KeeperSettings.WARN_INTERVAL_HOURS) {
            LOG.warn("TOKEN_REFRESH_INTERVAL_HOURS={} is long: Yoto access tokens last about a day, so tokens may expire"
                    + " between refreshes if one fails", settings.refreshIntervalHours());
        }
        if (settings.onRailway()) {
            MountPoints.current()
                    .filter(mounts -> !MountPoints.isOnVolume(tokenFile.path().getParent(), mounts))
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
        LOG.info("Starting background token refresh task (every {} hours)", settings.refreshIntervalHours());
    }
}
