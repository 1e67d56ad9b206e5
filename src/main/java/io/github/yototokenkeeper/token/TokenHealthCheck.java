package io.github.yototokenkeeper.token;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The session's health, as a Camel health check named {@code yoto-token}: DOWN when a new login is needed, or after
 * repeated refresh failures. (The HTTP {@code /health} route stays UP whatever this says: it only tells Railway the
 * service runs.)
 */
public class TokenHealthCheck extends AbstractHealthCheck {

    public static final String ID = "yoto-token";
    /** This many failed refreshes in a row turn the check DOWN. */
    public static final int FAILURES_BEFORE_DOWN = 3;

    private final TokenSession session;

    public TokenHealthCheck(TokenSession session) {
        super("yoto", ID);
        this.session = session;
    }

    @Override
    public boolean isLiveness() {
        return false; // the service is alive whatever the session's state; this is about readiness of the token
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        SessionSnapshot status = session.snapshot();
        builder.detail("state", status.state().wireName());
        builder.detail("consecutive_failures", status.consecutiveFailures());
        if (status.accessTokenExpiresAt() != null) {
            builder.detail("access_token_expires_at", status.accessTokenExpiresAt().toString());
        }
        if (status.refreshTokenUnsaved()) {
            builder.message("the rotated refresh token is only in memory: the token file cannot be written").down();
        } else if (status.state() == SessionState.REAUTH_REQUIRED) {
            builder.message("re-login needed: " + status.lastError()).down();
        } else if (status.consecutiveFailures() >= FAILURES_BEFORE_DOWN) {
            builder.message(status.consecutiveFailures() + " refreshes failed in a row: " + status.lastError()).down();
        } else if (status.accessTokenExpired(session.now())) {
            builder.message("the access token expired without a successful refresh").down();
        } else {
            builder.up();
        }
    }
}
