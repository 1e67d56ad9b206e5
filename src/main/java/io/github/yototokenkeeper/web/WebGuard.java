package io.github.yototokenkeeper.web;

import io.github.yototokenkeeper.config.WebAccess;
import io.github.yototokenkeeper.oauth.Secrets;
import io.github.yototokenkeeper.token.TokenSession;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may use the page, the {@code /auth/*} routes and {@code /metrics}. A Railway service has a public URL: a
 * stranger must not be able to connect it to their own Yoto account or log it out. So, decided once from the settings
 * ({@link WebAccess}): with KEEPER_PASSWORD, HTTP Basic auth (compared in constant time, guessing slowed down per
 * address); without one, open only on a loopback address or behind the operator's own proxy (KEEPER_AUTH=none), and
 * then only under the keeper's own host names (no DNS rebinding); anywhere else, locked. POSTs from another site are
 * refused whatever the password (Sec-Fetch-Site, else Origin against Host), so a foreign page cannot drive them.
 * Plain code: tested without Camel.
 */
public final class WebGuard {

    public static final String USER = "admin";
    private static final byte[] USER_DIGEST = Secrets.sha256(USER);
    static final long MAX_BODY_BYTES = 4096;
    private static final Set<String> SAME_SITE_FETCH = Set.of("same-origin", "none");
    private static final Logger LOG = LoggerFactory.getLogger(TokenSession.LOG_NAME);

    private final WebAccess access;
    private final Optional<byte[]> passwordDigest;
    private final AllowedHosts hosts;
    private final PasswordAttempts attempts;

    public WebGuard(WebAccess access, Optional<String> password, List<String> allowedHosts, Clock clock) {
        if ((access == WebAccess.PASSWORD) != password.isPresent()) {
            throw new IllegalArgumentException("a password goes with WebAccess.PASSWORD, and only with it");
        }
        this.access = access;
        this.passwordDigest = password.map(Secrets::sha256);
        this.hosts = new AllowedHosts(allowedHosts);
        this.attempts = new PasswordAttempts(clock);
    }

    /** Reachable from the network without a password: the page only says how to set one. */
    public boolean locked() {
        return access == WebAccess.LOCKED;
    }

    /**
     * Checks one request to the page, {@code /auth/*} or {@code /metrics}. Nothing here reads the body: the routes
     * never let the server read it.
     *
     * @param allowed the methods the route answers
     * @throws HttpProblem 401, 403, 405, 411, 413, 421 or 429, with a message that says why
     */
    public void check(WebRequest request, Set<String> allowed) {
        switch (access) {
            case LOCKED -> throw new HttpProblem(403, "password_required", "this keeper is reachable from the network and has no"
                    + " password, so it refuses everything: set KEEPER_PASSWORD (at least 12 characters) and restart, or"
                    + " HOST=127.0.0.1 to keep it on this machine, or KEEPER_AUTH=none behind your own proxy that asks for a password");
            case OPEN -> checkHost(request);
            case PASSWORD -> authenticate(request);
        }
        checkMethod(request, allowed);
        if ("POST".equals(request.method())) {
            refuseCrossSite(request);
            if (request.header("Transfer-Encoding") != null) {
                throw new HttpProblem(411, "length_required", "send a Content-Length (the keeper's routes take no body)");
            }
            String length = request.header("Content-Length");
            if (length != null && parseLength(length) > MAX_BODY_BYTES) {
                throw new HttpProblem(413, "payload_too_large", "request bodies are limited to " + MAX_BODY_BYTES
                        + " bytes (the keeper's routes take no body)");
            }
        }
    }

    /**
     * The sign-in callback, reached from Yoto's site: no password (the state and its cookie are its proof), but refused
     * by a locked keeper and checked against the keeper's names by an open one.
     */
    public void checkCallback(WebRequest request) {
        switch (access) {
            case LOCKED -> throw new HttpProblem(403, "password_required", "this keeper is reachable from the network and has no"
                    + " password, so it takes no sign-in: set KEEPER_PASSWORD (at least 12 characters) and restart");
            case OPEN -> checkHost(request);
            case PASSWORD -> {
                // the state and its cookie prove the sign-in; the password was asked when it started
            }
        }
        checkMethod(request, Set.of("GET"));
    }

    /** The method only: for {@code /health}, which stays open to everyone (Railway's check has no password). */
    public static void checkMethod(WebRequest request, Set<String> allowed) {
        if (!allowed.contains(request.method())) {
            throw new HttpProblem(405, "method_not_allowed", request.method() + " is not allowed here; use " + String.join(" or ", allowed),
                    Map.of("Allow", String.join(", ", allowed)));
        }
    }

    private void checkHost(WebRequest request) {
        String host = request.header("Host");
        if (!hosts.allows(host)) {
            throw new HttpProblem(421, "unknown_host", "this keeper does not answer to the name " + AllowedHosts.nameOf(host)
                    + ": if that is your name for it, add it to KEEPER_ALLOWED_HOSTS");
        }
    }

    private void authenticate(WebRequest request) {
        String client = request.clientAddress();
        Optional<Duration> wait = attempts.blockedFor(client);
        if (wait.isPresent()) {
            throw tooManyAttempts(wait.get());
        }
        String authorization = request.header("Authorization");
        if (authorization == null) {
            throw unauthorised(); // a browser's first request: not a guess
        }
        if (!authorised(authorization)) {
            if (attempts.failed(client)) {
                LOG.warn("{} wrong passwords from {} within {} s: refusing that address for {} s (HTTP 429)", PasswordAttempts.MAX_FAILURES,
                        client, PasswordAttempts.WINDOW.toSeconds(), PasswordAttempts.LOCKOUT.toSeconds());
            }
            throw unauthorised();
        }
        attempts.succeeded(client);
    }

    private static HttpProblem unauthorised() {
        return new HttpProblem(401, "unauthorized", "this page needs the keeper's password (user " + USER + ")",
                Map.of("WWW-Authenticate", "Basic realm=\"yoto-token-keeper\", charset=\"UTF-8\""));
    }

    private static HttpProblem tooManyAttempts(Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return new HttpProblem(429, "too_many_attempts", "too many wrong passwords from your address: try again in " + seconds + " s",
                Map.of("Retry-After", String.valueOf(seconds)));
    }

    private boolean authorised(String authorization) {
        if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String credentials;
        try {
            credentials = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        int colon = credentials.indexOf(':');
        if (colon < 0) {
            return false;
        }
        // digests of equal length, compared in constant time: the time taken says nothing about the password
        boolean userOk = Secrets.sameSecret(credentials.substring(0, colon), USER_DIGEST);
        boolean passwordOk = Secrets.sameSecret(credentials.substring(colon + 1), passwordDigest.orElseThrow());
        return userOk & passwordOk;
    }

    /** Refuses a request a browser sends on behalf of another site (Sec-Fetch-Site, else Origin against Host). */
    public static void refuseCrossSite(WebRequest request) {
        String fetchSite = request.header("Sec-Fetch-Site");
        if (fetchSite != null) {
            if (!SAME_SITE_FETCH.contains(fetchSite.toLowerCase(Locale.ROOT))) {
                throw crossSite();
            }
            return;
        }
        String origin = request.header("Origin");
        if (origin == null) {
            return; // not sent by a browser on behalf of another site: curl, scripts, Home Assistant
        }
        String originAuthority = authority(origin);
        String host = request.header("X-Forwarded-Host") != null ? request.header("X-Forwarded-Host") : request.header("Host");
        if (originAuthority == null || host == null || !stripDefaultPort(originAuthority).equalsIgnoreCase(stripDefaultPort(host))) {
            throw crossSite();
        }
    }

    private static HttpProblem crossSite() {
        return new HttpProblem(403, "cross_site_request", "requests from other sites are refused: use the keeper's own page");
    }

    private static String authority(String origin) {
        try {
            URI uri = new URI(origin.trim());
            return uri.getHost() == null ? null : uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
        } catch (Exception notAUri) {
            return null; // includes the literal "null" origin of sandboxed frames
        }
    }

    private static String stripDefaultPort(String authority) {
        return authority.replaceFirst(":(80|443)$", "");
    }

    private static long parseLength(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException notANumber) {
            return Long.MAX_VALUE;
        }
    }
}
