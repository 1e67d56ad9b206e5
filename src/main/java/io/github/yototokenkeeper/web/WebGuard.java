package io.github.yototokenkeeper.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who may use the page and the {@code /auth/*} routes. A Railway service has a public URL: a stranger must not be
 * able to connect it to their own Yoto account or log it out. So: HTTP Basic auth when KEEPER_PASSWORD is set
 * (compared in constant time), and POSTs refused when a browser says they come from another site (Sec-Fetch-Site,
 * else Origin against Host), so a foreign page cannot drive them. Plain code: tested without Camel.
 */
public final class WebGuard {

    public static final String USER = "admin";
    static final long MAX_BODY_BYTES = 4096;
    private static final Set<String> SAME_SITE_FETCH = Set.of("same-origin", "none");

    private final Optional<byte[]> passwordDigest;

    public WebGuard(Optional<String> password) {
        this.passwordDigest = password.map(WebGuard::digest);
    }

    public boolean passwordRequired() {
        return passwordDigest.isPresent();
    }

    /**
     * Checks one request.
     *
     * @param method  the HTTP method
     * @param allowed the methods the route answers
     * @param header  a request header by name (case-insensitive), or null
     * @throws HttpProblem 401, 403, 405 or 413, with a message that says why
     */
    public void check(String method, Set<String> allowed, HeaderLookup header) {
        if (passwordDigest.isPresent() && !authorised(header.get("Authorization"))) {
            throw new HttpProblem(401, "unauthorized", "this page needs the keeper's password (user " + USER + ")",
                    Map.of("WWW-Authenticate", "Basic realm=\"yoto-token-keeper\", charset=\"UTF-8\""));
        }
        if (!allowed.contains(method)) {
            throw new HttpProblem(405, "method_not_allowed", method + " is not allowed here; use " + String.join(" or ", allowed),
                    Map.of("Allow", String.join(", ", allowed)));
        }
        if ("POST".equals(method)) {
            refuseCrossSite(header);
            String length = header.get("Content-Length");
            if (length != null && parseLength(length) > MAX_BODY_BYTES) {
                throw new HttpProblem(413, "payload_too_large", "request bodies are limited to " + MAX_BODY_BYTES + " bytes");
            }
        }
    }

    private boolean authorised(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
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
        boolean userOk = MessageDigest.isEqual(digest(credentials.substring(0, colon)), digest(USER));
        boolean passwordOk = MessageDigest.isEqual(digest(credentials.substring(colon + 1)), passwordDigest.get());
        return userOk & passwordOk;
    }

    private static void refuseCrossSite(HeaderLookup header) {
        String fetchSite = header.get("Sec-Fetch-Site");
        if (fetchSite != null) {
            if (!SAME_SITE_FETCH.contains(fetchSite.toLowerCase(Locale.ROOT))) {
                throw crossSite();
            }
            return;
        }
        String origin = header.get("Origin");
        if (origin == null) {
            return; // not sent by a browser on behalf of another site: curl, scripts, Home Assistant
        }
        String originAuthority = authority(origin);
        String host = header.get("X-Forwarded-Host") != null ? header.get("X-Forwarded-Host") : header.get("Host");
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

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Request headers by name, case-insensitive; null when absent. */
    @FunctionalInterface
    public interface HeaderLookup {
        String get(String name);
    }
}
