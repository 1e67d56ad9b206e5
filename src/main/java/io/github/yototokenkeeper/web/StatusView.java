package io.github.yototokenkeeper.web;

import io.github.yototokenkeeper.config.KeeperSettings;
import io.github.yototokenkeeper.login.DeviceLogin;
import io.github.yototokenkeeper.login.DeviceLoginFlow;
import io.github.yototokenkeeper.token.SessionState;
import io.github.yototokenkeeper.token.SessionSnapshot;
import io.github.yototokenkeeper.token.TokenSession;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The session as the page and {@code GET /auth/status} show it. Never holds a token or the device code. */
public final class StatusView {

    private final TokenSession session;
    private final DeviceLoginFlow logins;
    private final KeeperSettings settings;

    public StatusView(TokenSession session, DeviceLoginFlow logins, KeeperSettings settings) {
        this.session = session;
        this.logins = logins;
        this.settings = settings;
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
        json.put("login_flows", loginFlows());
        json.put("redirect_uri", settings.loginFlows().browser() ? settings.redirectUri().toString() : null);
        return json;
    }

    /** How a login starts: POST /auth/browser/start (Sign in with Yoto), POST /auth/device/start (a code), or both. */
    private List<String> loginFlows() {
        List<String> flows = new ArrayList<>();
        if (settings.loginFlows().browser()) {
            flows.add("browser");
        }
        if (settings.loginFlows().device()) {
            flows.add("device");
        }
        return flows;
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
