package io.github.yototokenkeeper.api;

import io.github.yototokenkeeper.web.HttpProblem;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the proxy passes on, both ways. To Yoto: the method, the path below {@code /api/yoto} under YOTO_API_URL (never
 * above it), the query as sent (the characters never raw in a URI percent-encoded, braces above all), the body, and
 * the client's headers except the hop-by-hop ones (RFC 9110 §7.6.1, and those named in {@code Connection}), its
 * credentials ({@code Authorization}, {@code Cookie}, {@code Proxy-Authorization}), {@code Host}, which the keeper sets
 * itself, and {@code Accept-Encoding}. To the client: Yoto's status and body
 * (decoded), and only the answer headers of an allowlist ({@link #toClient}). Plain code: tested without Camel.
 */
public final class ProxyRules {

    /** A request body above this is refused (413). The standalone server's camel.server.max-body-size is the same. */
    public static final int MAX_REQUEST_BYTES = 1024 * 1024;
    /** An answer above this is not passed on (502). */
    public static final int MAX_ANSWER_BYTES = 16 * 1024 * 1024;
    public static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    public static final String PREFIX = "/api/yoto";

    /** RFC 9110 §7.6.1 and the ones every proxy drops (Keep-Alive, Proxy-Connection). */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
            "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");
    /**
     * Never from the client to Yoto: its credentials for the keeper, its cookies, what the HTTP client sets itself, and
     * Accept-Encoding: the HTTP client asks for gzip or deflate itself and decodes the answer, where a client's own
     * (br, zstd) would bring back a body the keeper passes on undecoded but without its Content-Encoding.
     */
    private static final Set<String> NOT_TO_YOTO = Set.of("authorization", "cookie", "host", "content-length", "expect",
            "accept-encoding", "forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-real-ip");
    /**
     * The only headers of Yoto's answer that reach the client (an allowlist: Yoto's CORS, HSTS, Alt-Svc, Set-Cookie,
     * WWW-Authenticate, Location and whatever it adds later would speak for the keeper's origin). What describes the
     * body (Content-Type, Content-Language, Content-Disposition for a download's file name), what lets a program cache
     * and revalidate by itself (ETag, Last-Modified; the keeper's own Cache-Control: no-store stays), and what tells it
     * to slow down (Retry-After, the X-RateLimit-* and RateLimit-* families). Content-Length and Content-Encoding are the
     * server's to set for the body it sends: the HTTP client has decoded Yoto's.
     */
    private static final Set<String> TO_CLIENT = Set.of("content-type", "content-language", "content-disposition", "etag",
            "last-modified", "retry-after");
    private static final List<String> TO_CLIENT_FAMILIES = List.of("x-ratelimit-", "ratelimit");

    /** Never raw in a URI (RFC 3986 §2): encoded on the way to Yoto, space too. */
    private static final String UNSAFE = "{}|^`\"<>\\";

    private final String base;

    /** @param apiUrl YOTO_API_URL: calls go below its path, never above it */
    public ProxyRules(URI apiUrl) {
        this.base = apiUrl.toString().replaceAll("/+$", "");
    }

    /** The method, if the proxy forwards it (405 otherwise). */
    public static String method(String method) {
        if (!METHODS.contains(method)) {
            throw new HttpProblem(405, "method_not_allowed", method + " is not forwarded; use " + String.join(", ", new java.util.TreeSet<>(METHODS)),
                    Map.of("Allow", String.join(", ", new java.util.TreeSet<>(METHODS))));
        }
        return method;
    }

    /**
     * The Yoto URL of a request target below {@code mount + /api/yoto}, with the query as sent. A target whose path,
     * decoded, has a {@code .} or {@code ..} segment, or an encoded slash or backslash, is refused (400): the call
     * stays below YOTO_API_URL's path whatever the Yoto server makes of it.
     */
    public String target(String mount, String requestTarget) {
        String prefix = mount + PREFIX;
        int query = requestTarget.indexOf('?');
        String path = query < 0 ? requestTarget : requestTarget.substring(0, query);
        if (!path.startsWith(prefix + "/") || path.length() == prefix.length() + 1) {
            throw new HttpProblem(404, "not_found", "name a Yoto API path below " + prefix + "/, such as " + prefix + "/card/family/library");
        }
        String rest = path.substring(prefix.length());
        for (String segment : rest.substring(1).split("/", -1)) {
            String decoded;
            try {
                decoded = URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException badEscape) {
                throw badPath();
            }
            if (decoded.equals(".") || decoded.equals("..") || decoded.contains("/") || decoded.contains("\\")) {
                throw badPath();
            }
        }
        rest = encodeUnsafe(rest);
        if (!rest.matches("[A-Za-z0-9\\-._~!$&'()*+,;=:@/%]*")) {
            throw badPath();
        }
        String rawQuery = query < 0 ? "" : requestTarget.substring(query);
        if (rawQuery.chars().anyMatch(c -> (c < 0x20 || c > 0x7e || c == '#'))) {
            throw badPath();
        }
        return base + rest + encodeUnsafe(rawQuery);
    }

    /**
     * Percent-encodes what RFC 3986 never allows raw in a URI: space and the characters of {@link #UNSAFE}. Above all the
     * braces: camel-http resolves property placeholders in the URL it is given, so a raw double brace in a client's
     * query ({@code a=<brace><brace>yoto.keeper.api-keys<brace><brace>}) would reach Yoto as the keeper's own secrets.
     * Encoded ({@code %7B}), Yoto decodes the very text the client sent, and Camel sees no placeholder.
     */
    static String encodeUnsafe(String text) {
        StringBuilder encoded = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == ' ' || UNSAFE.indexOf(c) >= 0) {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            } else {
                encoded.append(c);
            }
        }
        return encoded.toString();
    }

    private static HttpProblem badPath() {
        return new HttpProblem(400, "bad_path", "the path may not leave the Yoto API (no . or .. segments, no encoded / or \\)");
    }

    /** The client's headers that go on to Yoto (name, value; one entry per value). */
    public static List<Map.Entry<String, String>> toYoto(List<Map.Entry<String, String>> headers) {
        Set<String> named = connectionNamed(headers);
        List<Map.Entry<String, String>> kept = new ArrayList<>();
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !NOT_TO_YOTO.contains(name) && !named.contains(name) && !name.startsWith("camel")
                    && !name.startsWith(":")) {
                kept.add(Map.entry(header.getKey(), header.getValue()));
            }
        }
        return kept;
    }

    /** Yoto's answer headers that go on to the client: the allowlist {@link #TO_CLIENT} and its families only. */
    public static List<Map.Entry<String, String>> toClient(List<Map.Entry<String, String>> headers) {
        Set<String> named = connectionNamed(headers);
        List<Map.Entry<String, String>> kept = new ArrayList<>();
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if ((TO_CLIENT.contains(name) || TO_CLIENT_FAMILIES.stream().anyMatch(name::startsWith)) && !named.contains(name)) {
                kept.add(Map.entry(header.getKey(), header.getValue()));
            }
        }
        return kept;
    }

    /** RFC 9110 §7.6.1: the headers a {@code Connection} header names are hop-by-hop too. */
    private static Set<String> connectionNamed(List<Map.Entry<String, String>> headers) {
        Set<String> named = new HashSet<>();
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase("Connection") && header.getValue() != null) {
                for (String option : header.getValue().split(",")) {
                    named.add(option.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        return named;
    }
}
