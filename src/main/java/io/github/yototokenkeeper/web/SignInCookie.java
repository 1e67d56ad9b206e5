package io.github.yototokenkeeper.web;

import java.net.URI;
import java.time.Duration;

/**
 * The cookie that ties a browser sign-in to the browser that started it (RFC 9700 §4.7.1): a random value, HttpOnly
 * (no script reads it), SameSite=Lax (sent on the top-level return from Yoto, never on another site's requests), and
 * over https Secure with the {@code __Host-} prefix (only this host may set it). Whether https is the callback URL's
 * scheme: the request's own may be plain http behind a proxy.
 */
final class SignInCookie {

    private static final String NAME = "yoto_keeper_sign_in";

    private SignInCookie() {
    }

    static String of(String value, URI callback, Duration lifetime) {
        return name(callback) + "=" + value + "; Path=/; Max-Age=" + lifetime.toSeconds() + "; HttpOnly; SameSite=Lax" + secure(callback);
    }

    static String cleared(URI callback) {
        return name(callback) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" + secure(callback);
    }

    /** The sign-in cookie's value in a Cookie header, or null. */
    static String read(String cookieHeader, URI callback) {
        if (cookieHeader == null) {
            return null;
        }
        String name = name(callback);
        for (String pair : cookieHeader.split(";")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).strip().equals(name)) {
                String value = pair.substring(equals + 1).strip();
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }

    private static String name(URI callback) {
        return https(callback) ? "__Host-" + NAME : NAME;
    }

    private static String secure(URI callback) {
        return https(callback) ? "; Secure" : "";
    }

    private static boolean https(URI callback) {
        return "https".equalsIgnoreCase(callback.getScheme());
    }
}
