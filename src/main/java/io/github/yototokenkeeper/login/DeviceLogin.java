package io.github.yototokenkeeper.login;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * One device-flow login: what the user sees (code, link, expiry) and where polling stands. Immutable: each change
 * makes a new value, so the status page always reads a consistent one. Holds the device code, never shows it.
 */
public record DeviceLogin(
        long id,
        State state,
        String deviceCode,
        String userCode,
        String verificationUri,
        String verificationUriComplete,
        Instant expiresAt,
        Duration interval,
        Instant nextPollAt,
        String error) {

    public enum State {
        PENDING, CONNECTED, EXPIRED, DENIED, ERROR;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The link to show: the one with the code filled in when the server gave it (RFC 8628 §3.3.1). */
    public String link() {
        return verificationUriComplete != null && !verificationUriComplete.isBlank() ? verificationUriComplete : verificationUri;
    }

    public boolean pending() {
        return state == State.PENDING;
    }

    DeviceLogin pollAgainAt(Instant at, Duration newInterval) {
        return new DeviceLogin(id, State.PENDING, deviceCode, userCode, verificationUri, verificationUriComplete, expiresAt,
                newInterval, at, null);
    }

    DeviceLogin finished(State finalState, String reason) {
        return new DeviceLogin(id, finalState, null, userCode, verificationUri, verificationUriComplete, expiresAt, interval, null, reason);
    }

    @Override
    public String toString() {
        return "DeviceLogin[id=" + id + ", state=" + state + ", user_code=" + userCode + ", expires_at=" + expiresAt + "]";
    }
}
