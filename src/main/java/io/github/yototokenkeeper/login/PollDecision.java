package io.github.yototokenkeeper.login;

import java.time.Duration;

/** What to do after one poll of the token endpoint: wait and poll again, or stop in a final login state. */
public record PollDecision(DeviceLogin.State state, Duration nextInterval, String reason) {

    public boolean pollAgain() {
        return state == DeviceLogin.State.PENDING;
    }

    static PollDecision again(Duration interval) {
        return new PollDecision(DeviceLogin.State.PENDING, interval, null);
    }

    static PollDecision stop(DeviceLogin.State state, String reason) {
        return new PollDecision(state, null, reason);
    }
}
