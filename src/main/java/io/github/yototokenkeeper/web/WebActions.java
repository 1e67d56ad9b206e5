package io.github.yototokenkeeper.web;

import io.github.yototokenkeeper.config.KeeperSettings;
import io.github.yototokenkeeper.login.BrowserAuthorization;
import io.github.yototokenkeeper.login.BrowserLoginFlow;
import io.github.yototokenkeeper.login.DeviceLoginFlow;
import io.github.yototokenkeeper.login.SignInCallback;
import io.github.yototokenkeeper.token.TokenFileException;
import io.github.yototokenkeeper.token.TokenSession;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.hc.core5.http.NameValuePair;
import org.apache.hc.core5.net.WWWFormCodec;

/** The steps of the web routes: guard the request, act, and answer (see {@link WebAnswers} for how answers look). */
public final class WebActions {

    static final String WANTS_PAGE = "yotoKeeperWantsPage";
    static final String SIGN_IN = "yotoKeeperSignIn";
    private static final Set<String> CALLBACK_PARAMETERS = Set.of("code", "state", "error", "error_description");
    private static final Set<String> GET = Set.of("GET");
    private static final Set<String> POST = Set.of("POST");
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * The page may run only its own script and style, may not be framed (clickjacking), and sends no referrer. Its forms
     * post to the keeper, and the sign-in form's answer may lead on to Yoto's login page.
     */
    private static final String CSP = "default-src 'none'; script-src 'nonce-%1$s'; style-src 'nonce-%1$s'; img-src 'self' data:;"
            + " connect-src 'self'; form-action 'self' %2$s; frame-ancestors 'none'; base-uri 'none'";

    private final WebGuard guard;
    private final StatusView view;
    private final LoginPage page;
    private final TokenSession session;
    private final DeviceLoginFlow logins;
    private final BrowserLoginFlow signIns;
    private final KeeperSettings settings;

    public WebActions(WebGuard guard, StatusView view, LoginPage page, TokenSession session, DeviceLoginFlow logins,
            BrowserLoginFlow signIns, KeeperSettings settings) {
        this.guard = guard;
        this.view = view;
        this.page = page;
        this.session = session;
        this.logins = logins;
        this.signIns = signIns;
        this.settings = settings;
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

    /**
     * The sign-in callback: reached from Yoto's site, so it asks no password (the state and its browser cookie are its
     * proof), but a locked keeper refuses it and an open one checks the Host. Reads the callback's parameters from the
     * query (each at most once) and the sign-in cookie into the body.
     */
    public void allowCallback(Exchange exchange) {
        noteUnreadBody(exchange);
        WebRequest request = request(exchange);
        guard.checkCallback(request);
        Map<String, String> parameters = callbackParameters(exchange.getMessage().getHeader(Exchange.HTTP_RAW_QUERY, String.class));
        exchange.getMessage().setBody(new SignInCallback(parameters.get("code"), parameters.get("state"), parameters.get("error"),
                parameters.get("error_description"), SignInCookie.read(request.header("Cookie"), settings.redirectUri())));
    }

    /** /health stays open (Railway's check has no password and comes under its own host name), but answers GET only. */
    public void allowHealth(Exchange exchange) {
        noteUnreadBody(exchange);
        WebGuard.checkMethod(request(exchange), GET);
        exchange.getMessage().setBody(null);
    }

    public void page(Exchange exchange) {
        boolean partOnly = "main".equals(exchange.getMessage().getHeader("part", String.class));
        String nonce = nonce();
        String main = guard.locked() ? page.locked() : page.main();
        String html = partOnly ? main : page.page(nonce, main, true);
        WebAnswers.start(exchange, "text/html; charset=utf-8");
        if (guard.locked()) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 403);
        }
        exchange.getMessage().setHeader("Content-Security-Policy", contentSecurityPolicy(nonce, authorizeOrigin()));
        exchange.getMessage().setBody(html);
    }

    /** Starts a browser sign-in, if offered and if this browser will be recognised at the callback. */
    public void startSignIn(Exchange exchange) {
        if (!settings.loginFlows().browser()) {
            throw new HttpProblem(409, "flow_disabled", "the browser sign-in is off (YOTO_LOGIN_FLOW=device): use the code instead"
                    + " (POST /auth/device/start)");
        }
        checkSignInAddress(request(exchange));
        exchange.setProperty(SIGN_IN, signIns.start());
    }

    /** The device flow, if offered. */
    public void requireDeviceLogin() {
        if (!settings.loginFlows().device()) {
            throw new HttpProblem(409, "flow_disabled", "the code login is off (YOTO_LOGIN_FLOW=browser): use Sign in with Yoto"
                    + " (POST /auth/browser/start)");
        }
    }

    /** Where the started sign-in goes: the browser to Yoto (303) for a form, else JSON that says where. */
    public Object signInAnswer(Exchange exchange) {
        BrowserAuthorization signIn = exchange.getProperty(SIGN_IN, BrowserAuthorization.class);
        boolean form = wantsPage(exchange);
        WebAnswers.start(exchange, form ? null : "application/json");
        exchange.getMessage().setHeader("Set-Cookie", SignInCookie.of(signIn.browserCookie(), signIn.redirectUri(), signIn.lifetime()));
        if (form) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 303);
            exchange.getMessage().setHeader("Location", signIn.authorizeUri().toString());
            return "";
        }
        Map<String, Object> json = new java.util.LinkedHashMap<>();
        json.put("authorize_url", signIn.authorizeUri().toString());
        json.put("redirect_uri", signIn.redirectUri().toString());
        json.put("expires_in", signIn.lifetime().toSeconds());
        return json;
    }

    /** Signed in: back to the page (which shows Connected), the sign-in cookie spent. */
    public void signedIn(Exchange exchange) {
        WebAnswers.start(exchange, null);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 303);
        exchange.getMessage().setHeader("Location", settings.webPath() + "/");
        exchange.getMessage().setHeader("Set-Cookie", SignInCookie.cleared(settings.redirectUri()));
        exchange.getMessage().setBody("");
    }

    /**
     * Yoto sends the browser back to the callback URL, and the browser keeps the sign-in cookie per host name: a sign-in
     * started from another address (localhost for 127.0.0.1, a LAN address) would come back without it. Say so before
     * sending anyone to Yoto. The browser's Origin is where the page really is (a proxy may rewrite Host); without one,
     * the Host. Both are only compared here, never used to build an address.
     */
    private void checkSignInAddress(WebRequest request) {
        String origin = request.header("Origin");
        String callbackOrigin = signIns.origin();
        boolean same;
        if (origin != null && !origin.equals("null")) {
            same = normalOrigin(origin).equals(normalOrigin(callbackOrigin));
        } else {
            String host = request.header("Host");
            same = host == null || host.isBlank() || hostName(host).equals(hostName(settings.redirectUri().getRawAuthority()));
        }
        if (!same) {
            throw new HttpProblem(409, "wrong_address", "Yoto sends you back to " + settings.redirectUri() + ", where this browser"
                    + " would not be recognised: open the keeper at " + callbackOrigin + settings.webPath() + "/ and sign in"
                    + " from there (or set YOTO_REDIRECT_URI to this address's callback and register it with Yoto)");
        }
    }

    /** scheme://host[:port], lower case, without a default port or a trailing dot. */
    private static String normalOrigin(String origin) {
        try {
            URI uri = new URI(origin.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
            return scheme + "://" + hostName(uri.getHost() == null ? "" : uri.getHost()) + (defaultPort ? "" : ":" + port);
        } catch (java.net.URISyntaxException notAnOrigin) {
            return origin;
        }
    }

    /** The name of a Host header or authority: lower case, without port or trailing dot. */
    private static String hostName(String authority) {
        return authority.strip().toLowerCase(Locale.ROOT).replaceFirst(":\\d*$", "").replaceFirst("\\.$", "");
    }

    static String contentSecurityPolicy(String nonce, String formTargets) {
        return String.format(CSP, nonce, formTargets);
    }

    /** Where a sign-in form's answer may lead: Yoto's login page, and from there straight back to the callback. */
    private String authorizeOrigin() {
        if (!settings.loginFlows().browser()) {
            return "";
        }
        URI authorize = settings.authorizeUrl();
        return authorize.getScheme() + "://" + authorize.getRawAuthority() + " " + signIns.origin();
    }

    /** The callback's parameters; one given twice is refused (which one would count?). */
    static Map<String, String> callbackParameters(String rawQuery) {
        Map<String, String> parameters = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        List<NameValuePair> pairs = WWWFormCodec.parse(rawQuery, StandardCharsets.UTF_8);
        for (NameValuePair pair : pairs) {
            if (CALLBACK_PARAMETERS.contains(pair.getName()) && pair.getValue() != null
                    && parameters.put(pair.getName(), pair.getValue()) != null) {
                throw new HttpProblem(400, "bad_request", "The address Yoto sent you back with has " + pair.getName()
                        + " twice. Start again from the keeper's page.");
            }
        }
        return parameters;
    }

    static String nonce() {
        byte[] nonceBytes = new byte[18];
        RANDOM.nextBytes(nonceBytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(nonceBytes);
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
