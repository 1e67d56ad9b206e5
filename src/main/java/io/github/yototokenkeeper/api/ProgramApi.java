package io.github.yototokenkeeper.api;

import io.github.yototokenkeeper.token.AccessTokens;
import io.github.yototokenkeeper.token.AccessTokens.HandOut;
import io.github.yototokenkeeper.token.TokenSession;
import io.github.yototokenkeeper.web.HttpProblem;
import io.github.yototokenkeeper.web.WebActions;
import io.github.yototokenkeeper.web.WebAnswers;
import io.github.yototokenkeeper.web.WebRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The steps of the program API's routes: guard the request, hand out the access token, forward a call to Yoto with
 * the keeper's bearer and hand back Yoto's answer, and audit every request. The decisions are {@link ApiGuard}'s and
 * {@link ProxyRules}'; the token comes from {@link AccessTokens}, after the one refresh path when it is due.
 */
public final class ProgramApi {

    static final String CALLER = "yotoKeeperApiCaller";
    static final String ROUTE = "yotoKeeperApiRoute";
    static final String METHOD = "yotoKeeperApiMethod";
    static final String CALL = "yotoKeeperApiCall";
    static final String USED_TOKEN_FINGERPRINT = "yotoKeeperApiUsedTokenFingerprint";
    static final String FORWARDED = "yotoKeeperApiForwarded";
    /** A named outcome for the audit, where the status alone would not say it. */
    static final String OUTCOME = "yotoKeeperApiOutcome";
    private static final Set<String> GET = Set.of("GET");

    /** One call as the client made it, kept for the one retry after a 401. */
    record ProxyCall(String method, String url, List<Map.Entry<String, String>> headers, byte[] body) {
        @Override
        public String toString() {
            return "ProxyCall[" + method + "]"; // never the URL's query or a header
        }
    }

    private final ApiGuard guard;
    private final AccessTokens tokens;
    private final ProxyRules rules;
    private final ApiAudit audit;
    private final Clock clock;
    private final String mount;

    /** @param mount the web path: "" standalone, /yoto-keeper (or yoto.keeper.web-path) in a host application */
    public ProgramApi(ApiGuard guard, AccessTokens tokens, ProxyRules rules, ApiAudit audit, Clock clock, String mount) {
        this.guard = guard;
        this.tokens = tokens;
        this.rules = rules;
        this.audit = audit;
        this.clock = clock;
        this.mount = mount;
    }

    // ---- GET /api/token --------------------------------------------------------------------------------------------

    public void allowToken(Exchange exchange) {
        start(exchange, ApiScope.TOKEN);
        WebActions.noteUnreadBody(exchange); // the route takes no body and never reads one
        WebRequest request = WebActions.request(exchange);
        guard.check(request, ApiScope.TOKEN, GET, name -> exchange.setProperty(CALLER, name));
        exchange.getMessage().setBody(null);
    }

    public boolean refreshFirst() {
        return tokens.refreshFirst();
    }

    /** {@code {access_token, token_type, expires_at, expires_in}}, never the refresh token; 503 when there is none. */
    public Map<String, Object> token(Exchange exchange) {
        HandOut.Granted granted = granted();
        WebAnswers.start(exchange, "application/json");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("access_token", granted.accessToken());
        json.put("token_type", "Bearer");
        Instant expiresAt = granted.expiresAt();
        json.put("expires_at", expiresAt == null ? null : expiresAt.toString());
        json.put("expires_in", expiresAt == null ? null : Math.max(0, Duration.between(clock.instant(), expiresAt).toSeconds()));
        return json;
    }

    // ---- /api/yoto/** ------------------------------------------------------------------------------------------

    /** Guards the request and keeps it (method, Yoto URL, the headers that may pass, the body) for the call. */
    public void allowProxy(Exchange exchange) {
        start(exchange, ApiScope.PROXY);
        WebRequest request = WebActions.request(exchange);
        guard.check(request, ApiScope.PROXY, ProxyRules.METHODS, name -> exchange.setProperty(CALLER, name));
        String url = rules.target(mount, request.target());
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body != null && body.length > ProxyRules.MAX_REQUEST_BYTES) {
            throw ApiGuard.tooLarge();
        }
        exchange.setProperty(CALL, new ProxyCall(request.method(), url, ProxyRules.toYoto(request.headers()),
                body == null || body.length == 0 ? null : body));
    }

    /** The message of one attempt: the client's request with the keeper's bearer token; 503 when there is no token. */
    public void prepareCall(Exchange exchange) {
        ProxyCall call = exchange.getProperty(CALL, ProxyCall.class);
        String token = granted().accessToken();
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        for (Map.Entry<String, String> header : call.headers()) {
            Object before = message.getHeader(header.getKey());
            if (before == null) {
                message.setHeader(header.getKey(), header.getValue());
            } else {
                List<Object> values = before instanceof List<?> list ? new ArrayList<>(list) : new ArrayList<>(List.of(before));
                values.add(header.getValue());
                message.setHeader(header.getKey(), values);
            }
        }
        message.setHeader("Authorization", "Bearer " + token);
        message.setHeader(Exchange.HTTP_METHOD, call.method());
        message.setHeader(Exchange.HTTP_URI, call.url());
        message.setBody(call.body());
        exchange.setProperty(USED_TOKEN_FINGERPRINT, AccessTokens.fingerprint(token));
    }

    /**
     * Yoto answered 401: retry once? Only when the token this call used was the current one and at least a minute old
     * (it is then no longer handed out, so the retry refreshes first through the one refresh path, which concurrent
     * calls share), or when a newer token came since (the retry uses it, refreshing nothing). A token just received is
     * kept: refreshing again would not fix it, and a caller must not turn every 401 into a refresh-token rotation.
     */
    public boolean retryAfter401(Exchange exchange) {
        String fingerprint = exchange.getProperty(USED_TOKEN_FINGERPRINT, String.class);
        return exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class) == 401 && fingerprint != null
                && tokens.reject(fingerprint) != TokenSession.Rejection.KEPT;
    }

    /** Yoto's answer for the client: its status, its headers that may pass, its body up to the cap (502 beyond). */
    public void answer(Exchange exchange) throws IOException {
        Message message = exchange.getMessage();
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 502, Integer.class);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        message.getHeaders().forEach((name, value) -> {
            if (value instanceof Iterable<?> values) {
                values.forEach(v -> headers.add(Map.entry(name, String.valueOf(v))));
            } else if (value != null) {
                headers.add(Map.entry(name, String.valueOf(value)));
            }
        });
        InputStream in = message.getBody(InputStream.class);
        // first, so that none of Yoto's headers reaches an error answer either (WWW-Authenticate, a too large answer's)
        WebAnswers.start(exchange, null);
        byte[] body = capped(in);
        if (status == 401) {
            // Yoto refused the keeper's token, not the client's key: a 401 would read as a wrong API key
            exchange.setProperty(OUTCOME, "yoto_rejected_token");
            throw new HttpProblem(502, "yoto_rejected_token", "the Yoto API refused the keeper's access token (401) for this call;"
                    + " your API key is fine. A token less than a minute old is not refreshed again: if this lasts, check the path"
                    + " and what your Yoto app may use, or log in again on the keeper's page");
        }
        for (Map.Entry<String, String> header : ProxyRules.toClient(headers)) {
            if (WebAnswers.SECURITY_HEADERS.keySet().stream().noneMatch(header.getKey()::equalsIgnoreCase)) {
                Object before = message.getHeader(header.getKey());
                message.setHeader(header.getKey(), before == null ? header.getValue() : List.of(before, header.getValue()));
            }
        }
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setBody(body);
        exchange.setProperty(FORWARDED, true);
    }

    private static byte[] capped(InputStream in) throws IOException {
        if (in == null) {
            return new byte[0];
        }
        try (in) {
            byte[] body = in.readNBytes(ProxyRules.MAX_ANSWER_BYTES + 1);
            if (body.length > ProxyRules.MAX_ANSWER_BYTES) {
                throw new HttpProblem(502, "answer_too_large", "Yoto's answer is larger than " + ProxyRules.MAX_ANSWER_BYTES
                        + " bytes: not passed on");
            }
            return body;
        }
    }

    // ---- every request ---------------------------------------------------------------------------------------------

    /** The audit line and counter of this request, whatever its outcome. */
    public void audit(Exchange exchange) {
        ApiScope route = exchange.getProperty(ROUTE, ApiScope.class);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
        boolean forwarded = Boolean.TRUE.equals(exchange.getProperty(FORWARDED, Boolean.class));
        audit.record(exchange.getProperty(CALLER, ApiGuard.UNKNOWN, String.class), route == null ? ApiScope.PROXY : route,
                exchange.getProperty(METHOD, "?", String.class), status, forwarded, exchange.getProperty(OUTCOME, String.class));
    }

    private static void start(Exchange exchange, ApiScope route) {
        exchange.setProperty(ROUTE, route);
        exchange.setProperty(CALLER, ApiGuard.UNKNOWN);
        String method = WebActions.request(exchange).method();
        exchange.setProperty(METHOD, method != null && method.matches("[A-Z]{1,10}") ? method : "?");
    }

    private HandOut.Granted granted() {
        HandOut handOut = tokens.handOut();
        if (handOut instanceof HandOut.Granted granted) {
            return granted;
        }
        if (handOut instanceof HandOut.LoginRequired required) {
            throw new HttpProblem(503, "login_required", required.reason());
        }
        throw new HttpProblem(503, "token_unavailable", ((HandOut.Unavailable) handOut).reason(), Map.of("Retry-After", "30"));
    }
}
