package io.github.yototokenkeeper.web;

import io.github.yototokenkeeper.login.DeviceLogin;
import io.github.yototokenkeeper.login.DeviceLoginFlow;
import io.github.yototokenkeeper.token.SessionState;
import io.github.yototokenkeeper.token.SessionSnapshot;
import io.github.yototokenkeeper.token.TokenSession;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The session as the page and {@code GET /auth/status} show it. Never holds a token or the device code. */
public final class StatusView {

    private final TokenSession session;
    private final DeviceLoginFlow logins;

    public StatusView(TokenSession session, DeviceLoginFlow logins) {
        this.session = session;
        this.logins = logins;
    }

    /** {@code logged_out}, {@code login_pending}, {@code authenticated}, {@code refresh_failing} or {@code reauth_required}. */
    public String stateName(SessionSnapshot status, Optional<DeviceLogin> login) {
        return login.filter(DeviceLogin::pending).isPresent() ? "login_pending" : status.state().wireName();
    }

    /** The JSON of {@code GET /auth/status}. */
    public Map<String, Object> status() {
        SessionSnapshot status = session.snapshot();
        Optional<DeviceLogin> login = logins.current();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("state", stateName(status, login));
        json.put("login", login.map(StatusView::loginJson).orElse(null));
        json.put("access_token_expires_at", iso(status.accessTokenExpiresAt()));
        json.put("last_refresh_at", iso(status.lastRefreshAt()));
        json.put("next_refresh_at", iso(status.nextRefreshAt()));
        json.put("consecutive_failures", status.consecutiveFailures());
        json.put("last_error", status.lastError());
        return json;
    }

    public boolean loggedOut() {
        return session.state() == SessionState.LOGGED_OUT;
    }

    private static Map<String, Object> loginJson(DeviceLogin login) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("state", login.state().wireName());
        json.put("user_code", login.userCode());
        json.put("verification_uri_complete", login.link());
        json.put("expires_at", iso(login.expiresAt()));
        if (login.error() != null) {
            json.put("error", login.error());
        }
        return json;
    }

    static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
