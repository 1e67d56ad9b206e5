package io.github.yototokenkeeper.web;

import io.github.yototokenkeeper.login.DeviceLogins;
import io.github.yototokenkeeper.login.LoginNotConfiguredException;
import io.github.yototokenkeeper.login.LoginRefusedException;
import io.github.yototokenkeeper.token.FailureReasons;
import io.github.yototokenkeeper.token.TokenFileException;
import io.github.yototokenkeeper.token.TokenKeeper;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The steps of the web routes: guard the request, act, and answer as JSON (or, for a plain form, back to the page). */
public final class WebActions {

    static final String WANTS_PAGE = "yotoKeeperWantsPage";
    private static final String UNREAD_BODY = "yotoKeeperUnreadBody";
    private static final Set<String> GET = Set.of("GET");
    private static final Set<String> POST = Set.of("POST");
    private static final Logger LOG = LoggerFactory.getLogger(TokenKeeper.LOG_NAME);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The page may run only its own script and style, may not be framed (clickjacking), and sends no referrer. */
    private static final String CSP = "default-src 'none'; script-src 'nonce-%1$s'; style-src 'nonce-%1$s'; img-src 'self' data:;"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final WebGuard guard;
    private final StatusView view;
    private final LoginPage page;
    private final TokenKeeper keeper;
    private final DeviceLogins logins;

    private final String basePath;

    public WebActions(WebGuard guard, StatusView view, LoginPage page, TokenKeeper keeper, DeviceLogins logins, String basePath) {
        this.basePath = basePath;
        this.guard = guard;
        this.view = view;
        this.page = page;
        this.keeper = keeper;
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
        noteUnreadBody(exchange);
        if (guard.locked()) {
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
        exchange.getMessage().removeHeaders("*");
        if (guard.locked()) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 403);
        }
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
        exchange.getMessage().setHeader("Content-Security-Policy", String.format(CSP, nonce));
        securityHeaders(exchange);
        exchange.getMessage().setBody(html);
    }

    /** Prometheus text of the application's Micrometer registry (camel.metrics.enabled=true), the keeper's meters included. */
    public void metrics(Exchange exchange) {
        io.micrometer.core.instrument.MeterRegistry registry = exchange.getContext().getRegistry()
                .findSingleByType(io.micrometer.core.instrument.MeterRegistry.class);
        if (registry == null || !PrometheusText.applies(registry)) {
            throw new HttpProblem(404, "not_found", "metrics are off: set camel.metrics.enabled=true (with camel-micrometer-prometheus)");
        }
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        securityHeaders(exchange);
        exchange.getMessage().setBody(PrometheusText.scrape(registry));
    }

    public Map<String, Object> status() {
        return view.status();
    }

    /** Refreshing needs a session: 409 when logged out. */
    public void requireSession(Exchange exchange) {
        if (view.loggedOut()) {
            throw new HttpProblem(409, "logged_out", "not logged in: connect the Yoto account first");
        }
    }

    public void logout(Exchange exchange) throws TokenFileException {
        logins.cancel();
        keeper.logout();
    }

    /** A form sent without JavaScript goes back to the page (303); everything else gets the JSON body. */
    public boolean wantsPage(Exchange exchange) {
        return Boolean.TRUE.equals(exchange.getProperty(WANTS_PAGE, Boolean.class));
    }

    public void redirectToPage(Exchange exchange) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 303);
        exchange.getMessage().setHeader("Location", basePath + "/");
        securityHeaders(exchange);
        exchange.getMessage().setBody("");
    }

    /** Headers of a JSON answer; the body is marshalled by the route. Drops whatever headers the steps left behind. */
    public void jsonAnswer(Exchange exchange) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        securityHeaders(exchange);
    }

    /**
     * Turns a failure into its JSON answer: our refusals keep their status; a login the server refused is 502, one
     * the keeper cannot start 503; anything else is a 500 that says little and is logged here. Never a stack trace.
     */
    public Map<String, Object> problem(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int status;
        String code;
        String message;
        Map<String, String> extraHeaders = Map.of();
        if (failure instanceof HttpProblem problem) {
            status = problem.status();
            code = problem.code();
            message = problem.getMessage();
            extraHeaders = problem.headers();
        } else if (failure instanceof LoginNotConfiguredException) {
            status = 503;
            code = "not_configured";
            message = failure.getMessage();
        } else if (failure instanceof LoginRefusedException) {
            status = 502;
            code = "login_refused";
            message = "Yoto's login server refused to start a login: " + failure.getMessage();
            LOG.warn("Login could not start: {}", failure.getMessage());
        } else if (failure instanceof java.io.IOException) {
            status = 502;
            code = "login_server_unreachable";
            message = "cannot reach Yoto's login server: " + FailureReasons.describe(failure, 0);
            LOG.warn("Login could not start: {}", message);
        } else if (failure instanceof TokenFileException) {
            status = 500;
            code = "token_file";
            message = failure.getMessage();
            LOG.error("{}", failure.getMessage());
        } else {
            status = 500;
            code = "internal_error";
            message = "the keeper could not handle this request; its log says why";
            LOG.warn("Request to {} failed: {}", exchange.getMessage().getHeader(Exchange.HTTP_PATH), String.valueOf(failure));
        }
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        extraHeaders.forEach(exchange.getMessage()::setHeader);
        securityHeaders(exchange);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("error", code);
        json.put("message", message);
        return json;
    }

    /** Camel's HTTP header filter, except that our answers may say Cache-Control: no-store and Connection: close. */
    public static HttpHeaderFilterStrategy headerFilter() {
        HttpHeaderFilterStrategy filter = new HttpHeaderFilterStrategy();
        filter.getOutFilter().remove("cache-control");
        filter.getOutFilter().remove("connection");
        return filter;
    }

    private static void securityHeaders(Exchange exchange) {
        exchange.getMessage().setHeader("Cache-Control", "no-store");
        exchange.getMessage().setHeader("X-Content-Type-Options", "nosniff");
        exchange.getMessage().setHeader("X-Frame-Options", "DENY");
        exchange.getMessage().setHeader("Referrer-Policy", "no-referrer");
        if (Boolean.TRUE.equals(exchange.getProperty(UNREAD_BODY, Boolean.class))) {
            // the body is never read: end the connection with the answer rather than leave it waiting mid-request
            exchange.getMessage().setHeader("Connection", "close");
        }
    }

    /** Before anything can fail: does the request carry a body, which the routes never read? */
    private static void noteUnreadBody(Exchange exchange) {
        exchange.setProperty(UNREAD_BODY, VertxWebRequest.applies(exchange) && VertxWebRequest.closeAfterAnswerIfBodyUnread(exchange));
    }

    /**
     * The request as the guard reads it. Camel also maps query parameters to message headers, so {@code ?Origin=...}
     * must not count as an Origin header: with platform-http on Vert.x the request itself is read; on another engine
     * a security header that also comes as a query parameter is refused, and the client address is unknown.
     */
    static WebRequest request(Exchange exchange) {
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
        };
    }
}
