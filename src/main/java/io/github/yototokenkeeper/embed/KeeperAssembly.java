package io.github.yototokenkeeper.embed;

import io.github.yototokenkeeper.api.ApiAudit;
import io.github.yototokenkeeper.api.ApiErrorHandling;
import io.github.yototokenkeeper.api.ApiGuard;
import io.github.yototokenkeeper.api.ApiKeys;
import io.github.yototokenkeeper.api.ProgramApi;
import io.github.yototokenkeeper.api.ProgramApiRoutes;
import io.github.yototokenkeeper.api.ProxyRules;
import io.github.yototokenkeeper.api.RateLimit;
import io.github.yototokenkeeper.config.KeeperSettings;
import io.github.yototokenkeeper.config.MountPoints;
import io.github.yototokenkeeper.config.WebAccess;
import io.github.yototokenkeeper.login.BrowserLoginFlow;
import io.github.yototokenkeeper.login.BrowserLoginRoutes;
import io.github.yototokenkeeper.login.DeviceLoginFlow;
import io.github.yototokenkeeper.login.DeviceLoginRoutes;
import io.github.yototokenkeeper.login.LoginErrorHandling;
import io.github.yototokenkeeper.oauth.OAuthClient;
import io.github.yototokenkeeper.oauth.SingleAttemptHttpClient;
import io.github.yototokenkeeper.token.AccessTokenFile;
import io.github.yototokenkeeper.token.AccessTokens;
import io.github.yototokenkeeper.token.KeeperAlerts;
import io.github.yototokenkeeper.token.KeeperMetrics;
import io.github.yototokenkeeper.token.RefreshErrorHandling;
import io.github.yototokenkeeper.token.RefreshPolicy;
import io.github.yototokenkeeper.token.SharedAccessToken;
import io.github.yototokenkeeper.token.TokenFile;
import io.github.yototokenkeeper.token.TokenHealthCheck;
import io.github.yototokenkeeper.token.TokenRefreshRoutes;
import io.github.yototokenkeeper.token.TokenRefresher;
import io.github.yototokenkeeper.token.TokenSession;
import io.github.yototokenkeeper.token.WakeUpScheduler;
import io.github.yototokenkeeper.web.JsonFallbackAnswers;
import io.github.yototokenkeeper.web.LoginPage;
import io.github.yototokenkeeper.web.SignInErrorHandling;
import io.github.yototokenkeeper.web.SignInProblems;
import io.github.yototokenkeeper.web.StatusView;
import io.github.yototokenkeeper.web.WebActions;
import io.github.yototokenkeeper.web.WebAnswers;
import io.github.yototokenkeeper.web.WebBeans;
import io.github.yototokenkeeper.web.WebErrorHandling;
import io.github.yototokenkeeper.web.WebGuard;
import io.github.yototokenkeeper.web.WebProblems;
import io.github.yototokenkeeper.web.WebRoutes;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: reads the settings once, builds every bean and route of the keeper and ties the listeners to
 * the session, for the standalone service and for a host application alike (both add {@link YotoTokenKeeper}). The
 * layers below never build their own collaborators and never look each other up. Refuses to start, with one clear
 * line, when a setting has a value the keeper cannot run with, and refuses a second keeper in the same Camel context.
 */
public final class KeeperAssembly {

    public static final String SETTINGS = "yotoKeeperSettings";
    public static final String SESSION = "yotoKeeperSession";
    public static final String LOGINS = "yotoKeeperLogins";
    /** Optional: a {@link Clock} bound under this name replaces the system clock (for tests of expiry). */
    public static final String CLOCK = "yotoKeeperClock";
    /** Optional: a {@link LongSupplier} of monotonic nanoseconds replaces {@code System::nanoTime} (for tests of the rate limit). */
    public static final String NANO_TIME = "yotoKeeperNanoTime";
    /** Optional: a {@code Supplier<Optional<Set<Path>>>} of mount points (for tests of the Railway volume check). */
    public static final String MOUNT_POINTS = "yotoKeeperMountPoints";

    private static final Logger LOG = LoggerFactory.getLogger(TokenSession.LOG_NAME);

    private KeeperAssembly() {
    }

    /** Builds the keeper into {@code context}: its beans, its listeners, its routes. */
    static void assemble(CamelContext context) throws Exception {
        Registry registry = context.getRegistry();
        if (registry.lookupByName(SETTINGS) != null) {
            throw new IllegalStateException("yoto-token-keeper is already set up in the Camel context '" + context.getName()
                    + "': add YotoTokenKeeper to a context once (a refresh token cannot have two keepers)");
        }
        PropertiesComponent properties = context.getPropertiesComponent();
        KeeperSettings settings = KeeperSettings.from(key -> properties.resolveProperty(key).orElse(null));
        Clock clock = Optional.ofNullable(registry.lookupByNameAndType(CLOCK, Clock.class)).orElse(Clock.systemUTC());
        LongSupplier nanoTime = Optional.ofNullable(registry.lookupByNameAndType(NANO_TIME, LongSupplier.class)).orElse(System::nanoTime);
        ApiKeys apiKeys = ApiKeys.from(settings); // a malformed KEEPER_API_KEYS stops the start here, with one line

        // the token lifecycle
        TokenFile tokenFile = new TokenFile(settings.tokenFile());
        RefreshPolicy policy = new RefreshPolicy(settings.refreshInterval(), settings.earlyRefreshMargin(), settings.firstRetry(),
                () -> ThreadLocalRandom.current().nextDouble());
        TokenSession session = new TokenSession(clock, tokenFile, policy);
        OAuthClient oauth = new OAuthClient(settings);
        CamelClusterService cluster = settings.clusterEnabled() ? clusterService(context, tokenFile, settings) : null;
        BooleanSupplier leader = cluster == null ? () -> true : () -> isLeader(cluster); // alone, always the leader
        SharedAccessToken shared = cluster == null ? null : new SharedAccessToken(tokenFile.path());
        if (shared != null) {
            session.addListener(shared);
        }
        // programs on this machine or volume read every new access token here (YOTO_ACCESS_TOKEN_FILE)
        Optional<AccessTokenFile> accessTokenFile = settings.accessTokenFile().map(AccessTokenFile::new);
        accessTokenFile.ifPresent(session::addListener);
        TokenRefresher refresher = new TokenRefresher(settings, session, oauth, leader, context::isStopping);
        AccessTokens accessTokens = new AccessTokens(session, leader, shared);
        HostAccessTokens hostTokens = new HostAccessTokens(accessTokens);
        DeviceLoginFlow logins = new DeviceLoginFlow(settings, oauth, session, settings.devicePollTimeScale());
        BrowserLoginFlow signIns = new BrowserLoginFlow(settings, oauth, session, logins);

        registry.bind(SETTINGS, settings);
        registry.bind(SESSION, session);
        registry.bind(LOGINS, logins);
        registry.bind(OAuthClient.HTTP_CLIENT, new SingleAttemptHttpClient());
        registry.bind(TokenHealthCheck.ID, new TokenHealthCheck(session));

        // what follows the session's transitions
        ProducerTemplate producer = context.createProducerTemplate();
        settings.alertUri().ifPresent(uri -> session.addListener(new KeeperAlerts(message -> {
            try {
                producer.sendBody(TokenRefreshRoutes.ALERTS + "?waitForTaskToComplete=Never", message);
            } catch (RuntimeException stopping) {
                LOG.warn("Alert not sent: {}", stopping.getMessage());
            }
        })));
        session.addListener(event -> {
            if (event.accessToken() != null) {
                send(producer, AccessTokenRoutes.notificationQueue(), event.accessToken(), event.snapshot().accessTokenExpiresAt());
            }
        });
        // only the leader wakes (a follower never refreshes), and nothing wakes while the keeper stops
        WakeUpScheduler scheduler = new WakeUpScheduler(session,
                context.getExecutorServiceManager().newSingleThreadScheduledExecutor(session, "yoto-keeper-wake-up"),
                () -> leader.getAsBoolean() && !context.isStopping(), () -> send(producer, TokenRefreshRoutes.WAKE_UP, null, null));
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopping(CamelContext stopping) {
                scheduler.stop(); // before the routes stop: no wake-up during the graceful stop, none planned after it
            }
        });
        session.addListener(scheduler);

        // the routes; error handling scoped by route configuration ids: only our routes use it, never the host's
        context.addRoutesConfigurations(new RefreshErrorHandling(refresher));
        context.addRoutesConfigurations(new LoginErrorHandling(logins));
        context.addRoutes(new TokenRefreshRoutes(settings, session, refresher, oauth, scheduler));
        context.addRoutes(new DeviceLoginRoutes(logins, oauth));
        context.addRoutes(new BrowserLoginRoutes(signIns, oauth));
        context.addRoutes(new AccessTokenRoutes(hostTokens, new YotoApiCalls(settings, oauth)));
        boolean web = webEnabled(context, settings);
        ApiAudit apiAudit = new ApiAudit();
        ApiGuard apiGuard = new ApiGuard(apiKeys, settings.apiKeysRequiredBecause(), settings.pageHostNames(),
                new RateLimit(nanoTime, settings.apiRateLimitPerMinute()));
        if (web) {
            StatusView view = new StatusView(session, logins, settings);
            WebAnswers answers = new WebAnswers(settings.webPath());
            LoginPage page = new LoginPage(session, logins, view, settings);
            WebActions actions = new WebActions(new WebGuard(settings.webAccess(), settings.password(), settings.pageHostNames(), clock),
                    view, page, session, logins, signIns, settings);
            registry.bind(WebBeans.HEADER_FILTER, WebAnswers.headerFilter());
            context.addRoutesConfigurations(new WebErrorHandling(new WebProblems(answers)));
            context.addRoutesConfigurations(new SignInErrorHandling(new SignInProblems(page, settings.redirectUri())));
            context.addRoutes(new WebRoutes(settings.webPath(), actions, answers));
            // the program API: other programs use the login through the keeper, never refreshing it themselves
            ProgramApi api = new ProgramApi(apiGuard, accessTokens, new ProxyRules(settings.apiUrl()), apiAudit, clock, settings.webPath());
            context.addRoutesConfigurations(new ApiErrorHandling(answers, api));
            context.addRoutes(new ProgramApiRoutes(settings.webPath(), api, oauth.forwardingEndpoint(settings.apiUrl().toString()),
                    answers.jsonFormat()));
        }

        @SuppressWarnings("unchecked")
        Supplier<Optional<Set<Path>>> mounts = Optional.ofNullable(registry.lookupByNameAndType(MOUNT_POINTS, Supplier.class))
                .map(found -> (Supplier<Optional<Set<Path>>>) found).orElse(MountPoints::current);
        context.addStartupListener(new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                StartupReport.log(settings, tokenFile, web, mounts.get());
                StartupReport.logProgramApi(settings, web, apiGuard.access(), apiKeys, accessTokenFile);
                // the application's Micrometer registry, when it has one (camel.metrics.enabled=true binds one)
                Optional.ofNullable(started.getRegistry().findSingleByType(MeterRegistry.class)).ifPresent(meters -> {
                    KeeperMetrics.bind(meters, session);
                    apiAudit.bind(meters);
                });
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
                if (settings.webPath().isEmpty() && web) {
                    JsonFallbackAnswers.install(started); // standalone only: a host keeps its own pages
                }
            }
        });
    }

    /** Fire and forget; a stopping context refuses, which is fine then. */
    private static void send(ProducerTemplate producer, String uri, Object body, Object expiresAt) {
        try {
            if (expiresAt == null) {
                producer.sendBody(uri, body);
            } else {
                producer.sendBodyAndHeader(uri, body, YotoEndpoints.ACCESS_TOKEN_EXPIRES_AT, expiresAt);
            }
        } catch (RuntimeException stopping) {
            LOG.debug("Not sent to {}: {}", uri.replaceAll("\\?.*", ""), stopping.getMessage());
        }
    }

    /** The web routes: as configured, else on when the application has platform-http (they use its server). */
    static boolean webEnabled(CamelContext context, KeeperSettings settings) {
        return settings.webEnabled().orElseGet(() ->
                context.getClassResolver().resolveClass("org.apache.camel.component.platform.http.PlatformHttpComponent") != null);
    }

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
            return cluster.getView(TokenRefreshRoutes.CLUSTER_NAMESPACE).getLocalMember().isLeader();
        } catch (Exception notYet) {
            return false;
        }
    }
}
