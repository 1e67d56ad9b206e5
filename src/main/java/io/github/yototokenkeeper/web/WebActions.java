package io.github.yototokenkeeper.web;

import io.github.yototokenkeeper.login.DeviceLoginFlow;
import io.github.yototokenkeeper.token.TokenFileException;
import io.github.yototokenkeeper.token.TokenSession;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;

/** The steps of the web routes: guard the request, act, and answer (see {@link WebAnswers} for how answers look). */
public final class WebActions {

    static final String WANTS_PAGE = "yotoKeeperWantsPage";
    private static final Set<String> GET = Set.of("GET");
    private static final Set<String> POST = Set.of("POST");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The page may run only its own script and style, may not be framed (clickjacking), and sends no referrer. */
    private static final String CSP = "default-src 'none'; script-src 'nonce-%1$s'; style-src 'nonce-%1$s'; img-src 'self' data:;"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final WebGuard guard;
    private final StatusView view;
    private final LoginPage page;
    private final TokenSession session;
    private final DeviceLoginFlow logins;

    public WebActions(WebGuard guard, StatusView view, LoginPage page, TokenSession session, DeviceLoginFlow logins) {
        this.guard = guard;
        this.view = view;
        this.page = page;
        this.session = session;
        this.logins = logins;
    }

    /** GET routes behind the guard: the status and the metrics. */
    public void allowRead(Exchange exchange) {
        noteUnreadBody(exchange);
        guard.check(request(exchange), GET);
        exchange.getMessage().setBody(null); // the unread request, never read: the routes take no body
    }

    /** The page: behind the guard too, except that a locked keeper's page says how to set a password. */
    public void allowPage(Exchange exchange) {
        if (guard.locked()) {
            noteUnreadBody(exchange);
            WebGuard.checkMethod(request(exchange), GET);
            exchange.getMessage().setBody(null);
        } else {
            allowRead(exchange);
        }
    }

    /** POST routes behind the guard, refused from other sites. */
    public void allowAction(Exchange exchange) {
        noteUnreadBody(exchange);
        guard.check(request(exchange), POST);
        exchange.getMessage().setBody(null);
        String accept = exchange.getMessage().getHeader("Accept", "", String.class);
        exchange.setProperty(WANTS_PAGE, accept.contains("text/html") && !accept.contains("application/json"));
    }

    /** /health stays open (Railway's check has no password and comes under its own host name), but answers GET only. */
    public void allowHealth(Exchange exchange) {
        noteUnreadBody(exchange);
        WebGuard.checkMethod(request(exchange), GET);
        exchange.getMessage().setBody(null);
    }

    public void page(Exchange exchange) {
        boolean partOnly = "main".equals(exchange.getMessage().getHeader("part", String.class));
        byte[] nonceBytes = new byte[18];
        RANDOM.nextBytes(nonceBytes);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(nonceBytes);
        String main = guard.locked() ? page.locked() : page.main();
        String html = partOnly ? main : page.page(nonce, main);
        WebAnswers.start(exchange, "text/html; charset=utf-8");
        if (guard.locked()) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 403);
        }
        exchange.getMessage().setHeader("Content-Security-Policy", String.format(CSP, nonce));
        exchange.getMessage().setBody(html);
    }

    /** Prometheus text of the application's Micrometer registry (camel.metrics.enabled=true), the keeper's meters included. */
    public void metrics(Exchange exchange) {
        MeterRegistry registry = exchange.getContext().getRegistry().findSingleByType(MeterRegistry.class);
        if (registry == null || !PrometheusText.applies(registry)) {
            throw new HttpProblem(404, "not_found", "metrics are off: set camel.metrics.enabled=true (with camel-micrometer-prometheus)");
        }
        WebAnswers.start(exchange, "text/plain; version=0.0.4; charset=utf-8");
        exchange.getMessage().setBody(PrometheusText.scrape(registry));
    }

    public Map<String, Object> status() {
        return view.status();
    }

    /** Refreshing needs a session: 409 when logged out. */
    public void requireSession() {
        if (view.loggedOut()) {
            throw new HttpProblem(409, "logged_out", "not logged in: connect the Yoto account first");
        }
    }

    /** Logging out cancels a pending login too; the token file goes first (a file that stays changes nothing). */
    public void logout() throws TokenFileException {
        logins.cancel();
        session.loggedOut();
    }

    /** A form sent without JavaScript goes back to the page (303); everything else gets the JSON body. */
    public boolean wantsPage(Exchange exchange) {
        return Boolean.TRUE.equals(exchange.getProperty(WANTS_PAGE, Boolean.class));
    }

    /** Before anything can fail: does the request carry a body, which the routes never read? */
    public static void noteUnreadBody(Exchange exchange) {
        exchange.setProperty(WebAnswers.UNREAD_BODY, VertxWebRequest.applies(exchange) && VertxWebRequest.closeAfterAnswerIfBodyUnread(exchange));
    }

    /**
     * The request as the guard reads it. Camel also maps query parameters to message headers, so {@code ?Origin=...}
     * must not count as an Origin header: with platform-http on Vert.x the request itself is read; on another engine
     * a security header that also comes as a query parameter is refused, and the client address is unknown.
     */
    public static WebRequest request(Exchange exchange) {
        if (VertxWebRequest.applies(exchange)) {
            return VertxWebRequest.of(exchange);
        }
        String query = exchange.getMessage().getHeader(Exchange.HTTP_QUERY, "", String.class).toLowerCase(Locale.ROOT);
        return new WebRequest() {
            @Override
            public String method() {
                return exchange.getMessage().getHeader(Exchange.HTTP_METHOD, "GET", String.class);
            }

            @Override
            public String header(String name) {
                if (("&" + query).contains("&" + name.toLowerCase(Locale.ROOT) + "=")) {
                    throw new HttpProblem(400, "bad_request", "query parameter " + name + " is not accepted");
                }
                return exchange.getMessage().getHeader(name, String.class);
            }

            @Override
            public String clientAddress() {
                return "unknown";
            }

            @Override
            public String target() {
                String uri = exchange.getMessage().getHeader(Exchange.HTTP_URI, "/", String.class);
                String raw = exchange.getMessage().getHeader(Exchange.HTTP_RAW_QUERY, String.class);
                return raw == null || raw.isEmpty() || uri.contains("?") ? uri : uri + "?" + raw;
            }
        };
    }
}
