package io.github.yototokenkeeper.login;

import io.github.yototokenkeeper.config.KeeperSettings;
import io.github.yototokenkeeper.oauth.FailureReasons;
import io.github.yototokenkeeper.oauth.OAuthClient;
import io.github.yototokenkeeper.oauth.TokenEndpointResponse;
import io.github.yototokenkeeper.token.TokenSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.Exchange;
import org.apache.hc.client5.http.entity.UrlEncodedFormEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device-flow login (RFC 8628), one step per method for the login routes: start a login, decide when to poll,
 * read each answer, hand a successful login to the keeper. One login at a time: starting again cancels the last.
 */
public final class DeviceLoginFlow {

    public static final String LOGIN_ID = "yotoKeeperLoginId";
    static final String POLL_AGAIN = "yotoKeeperPollAgain";
    /** The longest a poll loop waits in one go: a stop of the keeper waits that long at most. */
    static final Duration WAIT_SLICE = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(TokenSession.LOG_NAME);

    private final KeeperSettings settings;
    private final OAuthClient oauth;
    private final TokenSession session;
    private final Clock clock;
    /** 1.0 in service; tests scale the server's poll intervals down (0.05: five seconds become a quarter second). */
    private final double pollTimeScale;
    private final AtomicReference<DeviceLogin> current = new AtomicReference<>();
    private final AtomicLong ids = new AtomicLong();

    public DeviceLoginFlow(KeeperSettings settings, OAuthClient oauth, TokenSession session, double pollTimeScale) {
        this.settings = settings;
        this.oauth = oauth;
        this.session = session;
        this.clock = session.clock();
        this.pollTimeScale = pollTimeScale;
    }

    public Optional<DeviceLogin> current() {
        return Optional.ofNullable(current.get());
    }

    public void checkConfigured() {
        if (!settings.hasClientId()) {
            throw new LoginNotConfiguredException("YOTO_CLIENT_ID is not set: set it to your Yoto app's client id and restart the keeper");
        }
    }

    /** The device authorization request (RFC 8628 §3.1): client_id, scope, audience. */
    public UrlEncodedFormEntity deviceCodeRequest() {
        return oauth.deviceCodeRequest();
    }

    /** A 5xx, 429 or redirect from the device-code endpoint says nothing useful in its body. */
    public void checkStartStatus(Exchange exchange) {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (OAuthClient.saysNothing(status) || OAuthClient.rateLimited(status)) {
            throw new LoginRefusedException("the device-code endpoint answered HTTP " + status);
        }
    }

    /**
     * Reads the device authorization answer and makes it the current login (cancelling a pending one).
     *
     * @return what the browser may see: everything but the device code
     */
    public Map<String, Object> begin(Exchange exchange) {
        DeviceAuthorization answer = exchange.getMessage().getBody(DeviceAuthorization.class);
        int status = httpStatus(exchange);
        if (answer == null) {
            throw new LoginRefusedException("the device-code endpoint's answer (HTTP " + status + ") is empty");
        }
        if (answer.error() != null) {
            throw new LoginRefusedException(FailureReasons.serverError(status, answer.error(), answer.errorDescription()));
        }
        if (!OAuthClient.successful(status)) {
            throw new LoginRefusedException("the device-code endpoint answered HTTP " + status + " without an error code");
        }
        String missing = answer.deviceCode() == null ? "device_code" : answer.userCode() == null ? "user_code"
                : answer.verificationUri() == null ? "verification_uri" : null;
        if (missing != null) {
            throw new LoginRefusedException("the device-code endpoint's answer has no " + missing);
        }
        Instant now = clock.instant();
        Duration interval = DevicePollPolicy.initialInterval(answer.interval());
        Duration lifetime = DevicePollPolicy.codeLifetime(answer.expiresIn());
        DeviceLogin login = new DeviceLogin(ids.incrementAndGet(), DeviceLogin.State.PENDING, answer.deviceCode(),
                FailureReasons.serverText(answer.userCode()), answer.verificationUri(), answer.verificationUriComplete(),
                now.plus(lifetime), interval, now.plus(scaled(interval)), null);
        DeviceLogin previous = current.getAndSet(login);
        if (previous != null && previous.pending()) {
            LOG.info("A new login replaces the one still pending");
        }
        exchange.setProperty(LOGIN_ID, login.id());
        LOG.info("Login started: the code is shown on the keeper's page until {}", login.expiresAt());
        Map<String, Object> visible = new LinkedHashMap<>();
        visible.put("user_code", login.userCode());
        visible.put("verification_uri", login.verificationUri());
        visible.put("verification_uri_complete", login.link());
        visible.put("expires_in", lifetime.toSeconds());
        visible.put("interval", interval.toSeconds());
        return visible;
    }

    /** Is this loop's login still the current, pending one, its next poll not due yet, and the keeper running? */
    public boolean waitingForNextPoll(Exchange exchange) {
        DeviceLogin login = loginOf(exchange);
        return login != null && login.pending() && !exchange.getContext().isStopping() && clock.instant().isBefore(login.nextPollAt());
    }

    /** How long this poll loop waits now: until its next poll, but at most {@link #WAIT_SLICE} at a time. */
    public long millisUntilNextPoll(Exchange exchange) {
        DeviceLogin login = loginOf(exchange);
        if (login == null) {
            return 0;
        }
        long nanos = Math.max(0, Duration.between(clock.instant(), login.nextPollAt()).toNanos());
        return Math.min((nanos + 999_999) / 1_000_000, WAIT_SLICE.toMillis()); // rounded up: never wake before it is due
    }

    /**
     * Poll only for the current, still pending login, while the keeper runs; a login past its expiry ends here as
     * expired.
     */
    public boolean pollWanted(Exchange exchange) {
        DeviceLogin login = loginOf(exchange);
        if (login == null || !login.pending() || exchange.getContext().isStopping()) {
            return false;
        }
        if (!clock.instant().isBefore(login.expiresAt())) {
            finish(login, DeviceLogin.State.EXPIRED, "the code expired before it was approved");
            return false;
        }
        return true;
    }

    /** RFC 8628 §3.4: the device access token request. */
    public UrlEncodedFormEntity deviceCodeGrant(Exchange exchange) {
        return oauth.deviceCodeGrant(loginOf(exchange).deviceCode());
    }

    /** 5xx and 3xx say nothing about the login: a transient failure; everything else is read as JSON (429 too). */
    public void checkPollStatus(Exchange exchange) {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (OAuthClient.saysNothing(status)) { // 429 is read: slow_down may come with it
            throw new IllegalStateException("the token endpoint answered HTTP " + status);
        }
    }

    /** One poll's answer: keep waiting, slow down, stop, or log in. */
    public void onPollAnswer(Exchange exchange) {
        DeviceLogin login = loginOf(exchange);
        TokenEndpointResponse answer = exchange.getMessage().getBody(TokenEndpointResponse.class);
        int status = httpStatus(exchange);
        PollDecision decision;
        if (login == null || !login.pending()) {
            decision = PollDecision.stop(DeviceLogin.State.ERROR, "cancelled");
        } else if (answer != null && answer.error() != null) {
            decision = DevicePollPolicy.onError(answer.error(), answer.errorDescription(), status, login.interval());
        } else if (answer != null && OAuthClient.successful(status) && answer.hasAccessToken()) {
            decision = connected(login, answer);
        } else {
            decision = DevicePollPolicy.onTransientFailure(login.interval());
        }
        apply(exchange, login, decision);
    }

    /** The poll request failed (connection, timeout, not JSON): poll less often and keep going until expiry. */
    public void onPollFailure(Exchange exchange) {
        DeviceLogin login = loginOf(exchange);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        LOG.warn("Login poll failed: {}; polling less often until the code expires",
                FailureReasons.describe(failure, httpStatus(exchange)));
        apply(exchange, login, login == null ? PollDecision.stop(DeviceLogin.State.ERROR, "cancelled")
                : DevicePollPolicy.onTransientFailure(login.interval()));
    }

    /** Loop again: the login still waits for its user, and the keeper is not stopping. */
    public boolean pollAgain(Exchange exchange) {
        return Boolean.TRUE.equals(exchange.getProperty(POLL_AGAIN, Boolean.class)) && !exchange.getContext().isStopping();
    }

    /** Logging out cancels a pending login too. */
    public void cancel() {
        DeviceLogin login = current.getAndSet(null);
        if (login != null && login.pending()) {
            LOG.info("Pending login cancelled");
        }
    }

    private PollDecision connected(DeviceLogin login, TokenEndpointResponse answer) {
        if (!answer.hasRefreshToken()) {
            return PollDecision.stop(DeviceLogin.State.ERROR,
                    "the server gave no refresh token, so the login cannot be kept alive: is offline_access in YOTO_SCOPE?");
        }
        // finished first, and saved only if it was still the current login: one cancelled meanwhile (a logout, a browser
        // sign-in) is not brought back by an answer that was already on its way
        if (!current.compareAndSet(login, login.finished(DeviceLogin.State.CONNECTED, null))) {
            return PollDecision.stop(DeviceLogin.State.ERROR, "cancelled");
        }
        session.loggedIn(answer);
        LOG.info("Login approved: the Yoto account is connected");
        return PollDecision.stop(DeviceLogin.State.CONNECTED, null);
    }

    private void apply(Exchange exchange, DeviceLogin login, PollDecision decision) {
        exchange.setProperty(POLL_AGAIN, login != null && decision.pollAgain());
        if (login == null) {
            return;
        }
        if (decision.pollAgain()) {
            if (decision.nextInterval().compareTo(login.interval()) > 0) {
                LOG.info("Login polling slows down: every {} s now", decision.nextInterval().toSeconds());
            }
            current.compareAndSet(login, login.pollAgainAt(clock.instant().plus(scaled(decision.nextInterval())), decision.nextInterval()));
        } else {
            finish(login, decision.state(), decision.reason());
        }
    }

    private void finish(DeviceLogin login, DeviceLogin.State state, String reason) {
        if (current.compareAndSet(login, login.finished(state, reason))) {
            switch (state) {
                case CONNECTED -> { } // logged when saved
                case EXPIRED, DENIED -> LOG.info("Login ended: {}", reason);
                default -> LOG.warn("Login failed: {}", reason);
            }
        }
    }

    private DeviceLogin loginOf(Exchange exchange) {
        DeviceLogin login = current.get();
        Long id = exchange.getProperty(LOGIN_ID, Long.class);
        return login != null && id != null && login.id() == id ? login : null;
    }

    private Duration scaled(Duration interval) {
        return Duration.ofMillis((long) (interval.toMillis() * pollTimeScale));
    }

    private static int httpStatus(Exchange exchange) {
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return status == null ? 0 : status;
    }
}
