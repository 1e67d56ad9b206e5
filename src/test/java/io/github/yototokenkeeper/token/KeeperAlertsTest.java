package io.github.yototokenkeeper.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When to tell someone, event by event: each once, and recovery once. */
class KeeperAlertsTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private final List<Map<String, Object>> sent = new ArrayList<>();
    private final KeeperAlerts alerts = new KeeperAlerts(sent::add);

    private static SessionSnapshot status(SessionState state, int failures, Instant expiresAt) {
        return new SessionSnapshot(state, expiresAt, null, null, failures, failures > 0 ? "the token endpoint answered HTTP 503" : null, false);
    }

    private List<Object> events() {
        return sent.stream().map(m -> m.get("event")).toList();
    }

    @Test
    void failuresAlertOnceAtTheThresholdThenOnExpiryThenOnRecovery() {
        Instant later = NOW.plusSeconds(3600);
        alerts.evaluate(status(SessionState.REFRESH_FAILING, 1, later), NOW);
        alerts.evaluate(status(SessionState.REFRESH_FAILING, 2, later), NOW);
        assertThat(sent).isEmpty();
        alerts.evaluate(status(SessionState.REFRESH_FAILING, 3, later), NOW);
        alerts.evaluate(status(SessionState.REFRESH_FAILING, 4, later), NOW);
        assertThat(events()).containsExactly("refresh_failing");
        alerts.evaluate(status(SessionState.REFRESH_FAILING, 5, later), later);
        alerts.evaluate(status(SessionState.REFRESH_FAILING, 6, later), later.plusSeconds(60));
        assertThat(events()).containsExactly("refresh_failing", "access_token_expired");
        alerts.evaluate(status(SessionState.AUTHENTICATED, 0, later.plusSeconds(86_400)), later);
        alerts.evaluate(status(SessionState.AUTHENTICATED, 0, later.plusSeconds(86_400)), later);
        assertThat(events()).containsExactly("refresh_failing", "access_token_expired", "recovered");
    }

    @Test
    void reloginNeededAlertsOnceAndCarriesNoToken() {
        alerts.evaluate(status(SessionState.REAUTH_REQUIRED, 1, null), NOW);
        alerts.evaluate(status(SessionState.REAUTH_REQUIRED, 1, null), NOW);
        assertThat(events()).containsExactly("reauth_required");
        assertThat(sent.get(0)).containsEntry("service", "yoto-token-keeper").containsEntry("state", "reauth_required")
                .containsKeys("message", "last_error", "at").doesNotContainKey("access_token");
    }

    @Test
    void aHealthySessionSendsNothing() {
        alerts.evaluate(status(SessionState.AUTHENTICATED, 0, NOW.plusSeconds(60)), NOW);
        alerts.evaluate(status(SessionState.LOGGED_OUT, 0, null), NOW);
        assertThat(sent).isEmpty();
    }
}
