package io.github.yototokenkeeper.token;

/**
 * Told of every transition of the session, after it happened and outside the session's lock: alerts, the host's
 * refresh notification, the replicas' shared access token and the wake-up scheduler follow the session this way,
 * instead of polling it. A listener that fails is logged and does not hold up the others.
 */
@FunctionalInterface
public interface SessionListener {

    void on(SessionEvent event);
}
