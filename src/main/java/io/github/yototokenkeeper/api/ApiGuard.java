package io.github.yototokenkeeper.api;

import io.github.yototokenkeeper.api.ApiKeys.ApiKey;
import io.github.yototokenkeeper.web.AllowedHosts;
import io.github.yototokenkeeper.web.HttpProblem;
import io.github.yototokenkeeper.web.WebGuard;
import io.github.yototokenkeeper.web.WebRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who may use {@code /api/*}, decided once from the settings. With API keys: only a valid key
 * ({@code Authorization: Bearer <key>}), for the routes its scope names; the page's password never opens the API and
 * a key never opens the page. Without keys: open only when the server listens on a loopback address and no
 * KEEPER_PASSWORD is set, under the keeper's own host names only (no DNS rebinding); refused (403
 * {@code api_keys_required}, saying why) anywhere else, with a page password or KEEPER_AUTH=none on the network too. Always: a request a browser sends for another site is refused
 * (a foreign page must never drive the proxy), and each key ("local" without keys) has its rate limit. Plain code:
 * tested without Camel.
 */
public final class ApiGuard {

    /** The audit name of the caller when no key is configured. */
    public static final String LOCAL = "local";
    /** The audit name of a caller without a valid key. */
    public static final String UNKNOWN = "unknown";

    /** How the API is opened. */
    public enum Access {
        /** API keys are set: only a valid key opens it. */
        KEYS,
        /** No keys, on loopback without a password: open under the keeper's own host names. */
        LOCAL,
        /** No keys, and reachable from the network or a password set: refused until keys are set. */
        LOCKED
    }

    /** Who asked: the key's name (or {@link #LOCAL}). */
    public record Caller(String name) {
    }

    private final ApiKeys keys;
    private final Access access;
    private final AllowedHosts hosts;
    private final RateLimit rateLimit;
    private final String lockedMessage;

    /**
     * @param keysRequiredBecause why keys are needed without them (see {@code KeeperSettings.apiKeysRequiredBecause()});
     *                            empty: open without keys, on loopback
     */
    public ApiGuard(ApiKeys keys, Optional<String> keysRequiredBecause, List<String> allowedHosts, RateLimit rateLimit) {
        this.keys = keys;
        this.access = keys.enabled() ? Access.KEYS : keysRequiredBecause.isEmpty() ? Access.LOCAL : Access.LOCKED;
        this.lockedMessage = "programs need an API key here: " + keysRequiredBecause.orElse("") + ". Set KEEPER_API_KEYS=name:key"
                + " (keys of at least " + ApiKeys.MIN_KEY_LENGTH + " characters, e.g. from openssl rand -hex 32) and restart, then"
                + " send Authorization: Bearer <key>. Without keys /api/* is open only on a loopback HOST with no KEEPER_PASSWORD";
        this.hosts = new AllowedHosts(allowedHosts);
        this.rateLimit = rateLimit;
    }

    public Access access() {
        return access;
    }

    /**
     * Checks one request to a route of this scope. {@code caller} is told who asked as soon as that is known, so that
     * the audit line of a refusal names the key too.
     *
     * @throws HttpProblem 401, 403, 405, 421, 413 or 429, with a message that says why
     */
    public Caller check(WebRequest request, ApiScope scope, Set<String> methods, java.util.function.Consumer<String> caller) {
        WebGuard.refuseCrossSite(request); // whatever the method: no foreign page reads a token or drives the proxy
        String name = switch (access) {
            case LOCKED -> throw new HttpProblem(403, "api_keys_required", lockedMessage);
            case LOCAL -> {
                if (!hosts.allows(request.header("Host"))) {
                    throw new HttpProblem(421, "unknown_host", "this keeper does not answer to the name " + AllowedHosts.nameOf(request.header("Host"))
                            + ": if that is your name for it, add it to KEEPER_ALLOWED_HOSTS");
                }
                yield LOCAL;
            }
            case KEYS -> {
                Optional<ApiKey> key = keys.match(request.header("Authorization"));
                if (key.isEmpty()) {
                    throw new HttpProblem(401, "unauthorized", "send a program's API key as Authorization: Bearer <key> (KEEPER_API_KEYS)",
                            Map.of("WWW-Authenticate", "Bearer realm=\"yoto-token-keeper\""));
                }
                caller.accept(key.get().name());
                if (!key.get().allows(scope)) {
                    throw new HttpProblem(403, "scope_not_allowed", "the key '" + key.get().name() + "' may not use " + scope.wireName()
                            + " routes (its scope in KEEPER_API_KEYS)");
                }
                yield key.get().name();
            }
        };
        caller.accept(name);
        if (!methods.contains(request.method())) {
            throw new HttpProblem(405, "method_not_allowed", request.method() + " is not allowed here; use " + String.join(" or ", methods),
                    Map.of("Allow", String.join(", ", methods)));
        }
        Optional<Duration> wait = rateLimit.take(name);
        if (wait.isPresent()) {
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            throw new HttpProblem(429, "rate_limited", "more than " + rateLimit.perMinute() + " requests a minute for '" + name
                    + "' (KEEPER_API_RATE_LIMIT): try again in " + seconds + " s", Map.of("Retry-After", String.valueOf(seconds)));
        }
        String length = request.header("Content-Length");
        if (length != null && parseLength(length) > ProxyRules.MAX_REQUEST_BYTES) {
            throw tooLarge();
        }
        return new Caller(name);
    }

    static HttpProblem tooLarge() {
        return new HttpProblem(413, "payload_too_large", "request bodies are limited to " + ProxyRules.MAX_REQUEST_BYTES + " bytes");
    }

    private static long parseLength(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException notANumber) {
            return Long.MAX_VALUE;
        }
    }
}
