package io.github.yototokenkeeper.token;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Decides when to tell someone: once when a new login becomes needed, once after {@link TokenHealthCheck#FAILURES_BEFORE_DOWN}
 * failures in a row, once when the access token expires without a successful refresh, and once on recovery. The
 * message (JSON fields, never a token) goes to {@code KEEPER_ALERT_URI}, any Camel endpoint.
 */
public final class KeeperAlerts implements SessionListener {

    public enum Event { REAUTH_REQUIRED, REFRESH_TOKEN_UNSAVED, REFRESH_FAILING, ACCESS_TOKEN_EXPIRED, RECOVERED }

    private final Consumer<Map<String, Object>> send;
    private Event raised;

    public KeeperAlerts(Consumer<Map<String, Object>> send) {
        this.send = send;
    }

    /** Every transition of the session: a logout starts over; anything else may raise, repeat nothing, or recover. */
    @Override
    public void on(SessionEvent event) {
        if (event.transition() == Transition.LOGGED_OUT) {
            reset();
        } else {
            evaluate(event.snapshot(), event.at());
        }
    }

    /** Sends what is new about the session in this state. */
    public synchronized void evaluate(SessionSnapshot status, Instant now) {
        Event event = null;
        if (status.refreshTokenUnsaved()) {
            event = raised == Event.REFRESH_TOKEN_UNSAVED ? null : Event.REFRESH_TOKEN_UNSAVED;
        } else if (status.state() == SessionState.REAUTH_REQUIRED) {
            event = raised == Event.REAUTH_REQUIRED ? null : Event.REAUTH_REQUIRED;
        } else if (status.state() == SessionState.REFRESH_FAILING) {
            boolean expired = status.accessTokenExpired(now);
            if (expired && raised != Event.ACCESS_TOKEN_EXPIRED) {
                event = Event.ACCESS_TOKEN_EXPIRED;
            } else if (!expired && raised == null && status.consecutiveFailures() >= TokenHealthCheck.FAILURES_BEFORE_DOWN) {
                event = Event.REFRESH_FAILING;
            }
        } else if (status.state() == SessionState.AUTHENTICATED && raised != null) {
            event = Event.RECOVERED;
        }
        if (event == null) {
            return;
        }
        raised = event == Event.RECOVERED ? null : event;
        send.accept(message(event, status, now));
    }

    /** A logout or a new login starts over: nothing is outstanding. */
    public synchronized void reset() {
        raised = null;
    }

    static Map<String, Object> message(Event event, SessionSnapshot status, Instant now) {
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
        json.put("state", status.state().wireName());
        json.put("consecutive_failures", status.consecutiveFailures());
        json.put("last_error", status.lastError());
        json.put("access_token_expires_at", status.accessTokenExpiresAt() == null ? null : status.accessTokenExpiresAt().toString());
        json.put("at", now.toString());
        return json;
    }
}
