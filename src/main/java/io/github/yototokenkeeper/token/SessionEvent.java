package io.github.yototokenkeeper.token;

import java.time.Instant;

/**
 * One transition of the session, with the state it led to. The new access token comes along for LOGGED_IN and
 * REFRESHED only (a host reconnects Yoto's MQTT with it); {@link #toString()} never shows it. {@code sequence} orders
 * the transitions of one session.
 */
public record SessionEvent(Transition transition, SessionSnapshot snapshot, Instant at, String accessToken, long sequence) {

    @Override
    public String toString() {
        return "SessionEvent[" + transition + ", " + snapshot.state() + ", at=" + at + "]";
    }
}
