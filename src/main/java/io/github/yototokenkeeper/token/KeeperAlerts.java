package io.github.yototokenkeeper.token;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Decides when to tell someone: once when a new login becomes needed, once after {@link TokenHealthCheck#FAILURES_BEFORE_DOWN}
 * failures in a row, once when the access token expires without a successful refresh, and once on recovery. The
 * message (JSON fields, never a token) goes to {@code KEEPER_ALERT_URI}, any Camel endpoint.
 */
public final class KeeperAlerts {

    public enum Event { REAUTH_REQUIRED, REFRESH_TOKEN_UNSAVED, REFRESH_FAILING, ACCESS_TOKEN_EXPIRED, RECOVERED }

    private final Consumer<Map<String, Object>> send;
    private Event raised;

    public KeeperAlerts(Consumer<Map<String, Object>> send) {
        this.send = send;
    }

    /** Looks at the state after every change (and on every expiry check) and sends what is new. */
    public synchronized Optional<Event> evaluate(TokenStatus status, Instant now) {
        Event event = null;
        if (status.refreshTokenUnsaved()) {
            event = raised == Event.REFRESH_TOKEN_UNSAVED ? null : Event.REFRESH_TOKEN_UNSAVED;
        } else if (status.status() == TokenState.Status.REAUTH_REQUIRED) {
            event = raised == Event.REAUTH_REQUIRED ? null : Event.REAUTH_REQUIRED;
        } else if (status.status() == TokenState.Status.REFRESH_FAILING) {
            boolean expired = status.accessTokenExpiresAt() != null && !now.isBefore(status.accessTokenExpiresAt());
            if (expired && raised != Event.ACCESS_TOKEN_EXPIRED) {
                event = Event.ACCESS_TOKEN_EXPIRED;
            } else if (!expired && raised == null && status.consecutiveFailures() >= TokenHealthCheck.FAILURES_BEFORE_DOWN) {
                event = Event.REFRESH_FAILING;
            }
        } else if (status.status() == TokenState.Status.AUTHENTICATED && raised != null) {
            event = Event.RECOVERED;
        }
        if (event == null) {
            return Optional.empty();
        }
        raised = event == Event.RECOVERED ? null : event;
        send.accept(message(event, status, now));
        return Optional.of(event);
    }

    /** A logout or a new login starts over: nothing is outstanding. */
    public synchronized void reset() {
        raised = null;
    }

    static Map<String, Object> message(Event event, TokenStatus status, Instant now) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("service", "yoto-token-keeper");
        json.put("event", event.name().toLowerCase(java.util.Locale.ROOT));
        json.put("message", switch (event) {
            case REAUTH_REQUIRED -> "Yoto refused the saved login: log in again on the keeper's page";
            case REFRESH_TOKEN_UNSAVED -> "the token file cannot be written: the current refresh token is only in memory and"
                    + " is lost if the service stops; fix the disk (full? read-only?)";
            case REFRESH_FAILING -> status.consecutiveFailures() + " token refreshes failed in a row; the keeper keeps retrying";
            case ACCESS_TOKEN_EXPIRED -> "the access token expired without a successful refresh; the keeper keeps retrying";
            case RECOVERED -> "token refreshes work again";
        });
        json.put("state", status.status().wireName());
        json.put("consecutive_failures", status.consecutiveFailures());
        json.put("last_error", status.lastError());
        json.put("access_token_expires_at", status.accessTokenExpiresAt() == null ? null : status.accessTokenExpiresAt().toString());
        json.put("at", now.toString());
        return json;
    }
}
