package io.github.yototokenkeeper.login;

import io.github.yototokenkeeper.config.KeeperSettings;
import io.github.yototokenkeeper.oauth.FailureReasons;
import io.github.yototokenkeeper.oauth.OAuthClient;
import io.github.yototokenkeeper.oauth.Pkce;
import io.github.yototokenkeeper.oauth.Secrets;
import io.github.yototokenkeeper.oauth.TokenEndpointResponse;
import io.github.yototokenkeeper.token.TokenSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.hc.client5.http.entity.UrlEncodedFormEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browser sign-in (RFC 6749 §4.1 Authorization Code with RFC 7636 PKCE), one step per method for the routes:
 * start a sign-in, claim the one a callback names, exchange its code, hand the login to the session. Each sign-in has
 * a fresh state (256 random bits) and PKCE verifier, kept here only: single use, ten minutes, and tied to the browser
 * that started it by a cookie whose digest is kept with it (RFC 9700 §4.7), so a callback forged by another site or
 * carried to another browser saves nothing.
 */
public final class BrowserLoginFlow {

    /** How long a started sign-in waits for its callback. */
    public static final Duration LIFETIME = Duration.ofMinutes(10);
    /** Started sign-ins kept at once: the oldest gives way (a person starts one or two; nobody needs seventeen). */
    static final int MAX_STARTED = 16;
    static final String VERIFIER = "yotoKeeperCodeVerifier";
    /** Exchange property: the callback was this browser's own sign-in (so its cookie is spent, whatever follows). */
    public static final String CLAIMED = "yotoKeeperSignInClaimed";
    static final String CODE = "yotoKeeperAuthorizationCode";

    private static final Logger LOG = LoggerFactory.getLogger(TokenSession.LOG_NAME);

    /** A sign-in between its start and its callback; {@code used} once claimed, kept to recognise a replay. */
    private record Started(String verifier, byte[] browserDigest, Instant expiresAt, boolean used) {
    }

    private final KeeperSettings settings;
    private final OAuthClient oauth;
    private final TokenSession session;
    private final DeviceLoginFlow deviceLogins;
    private final Clock clock;
    /** By state, oldest first. */
    private final Map<String, Started> started = new LinkedHashMap<>();

    public BrowserLoginFlow(KeeperSettings settings, OAuthClient oauth, TokenSession session, DeviceLoginFlow deviceLogins) {
        this.settings = settings;
        this.oauth = oauth;
        this.session = session;
        this.deviceLogins = deviceLogins;
        this.clock = session.clock();
    }

    /** Starts a sign-in: a fresh state, verifier and browser cookie; where to send the browser. */
    public BrowserAuthorization start() {
        if (!settings.hasClientId()) {
            throw new LoginNotConfiguredException("YOTO_CLIENT_ID is not set: set it to your Yoto app's client id and restart the keeper");
        }
        Pkce pkce = Pkce.generate();
        String state = Secrets.random(32);
        String browserCookie = Secrets.random(32);
        Instant now = clock.instant();
        synchronized (started) {
            forgetExpired(now);
            Iterator<String> oldest = started.keySet().iterator();
            while (started.size() >= MAX_STARTED && oldest.hasNext()) {
                oldest.next();
                oldest.remove();
            }
            started.put(state, new Started(pkce.verifier(), Secrets.sha256(browserCookie), now.plus(LIFETIME), false));
        }
        LOG.info("Browser sign-in started: Yoto sends the browser back to {}", settings.redirectUri());
        return new BrowserAuthorization(oauth.authorizeUri(state, pkce.challenge()), browserCookie, settings.redirectUri(), LIFETIME);
    }

    /**
     * Claims the sign-in this callback names, once: its state must be one started here, unused and in time, and the
     * browser must bring the cookie of the one that started it. Only then is anything of the callback believed, an
     * error from Yoto's page included: a link anyone can make shows no text of theirs and spends nobody's sign-in.
     *
     * @throws BrowserLoginException saying what is wrong; nothing is saved
     */
    public void claim(Exchange exchange) {
        SignInCallback callback = exchange.getMessage().getBody(SignInCallback.class);
        if (callback.state() == null) {
            throw fail(400, "missing_state", "The address you came back with has no state, so the keeper cannot tell which sign-in it"
                    + " belongs to. Start again from the keeper's page.");
        }
        Started claimed = take(callback.state(), callback.browserCookie());
        if (claimed == null) {
            throw fail(400, "unknown_state", "This sign-in was not started by this keeper in this browser, or the keeper has restarted"
                    + " since. Start again from the keeper's page.");
        }
        if (callback.browserCookie() == null) {
            throw fail(400, "browser_not_recognised", "This browser did not start this sign-in (its sign-in cookie is missing). Start"
                    + " again from the keeper's page in the browser you sign in with, at " + origin() + ".");
        }
        if (!Secrets.sameSecret(callback.browserCookie(), claimed.browserDigest())) {
            throw fail(400, "browser_not_recognised", "This sign-in was started in another browser, or a newer one was started since"
                    + " in this browser (only the newest counts). Start again from the keeper's page.");
        }
        exchange.setProperty(CLAIMED, true); // this browser's sign-in ends here, however it ends: its cookie is spent
        if (claimed.used()) {
            throw fail(400, "state_used", "This sign-in has already been used once: each one works a single time. Start again from the"
                    + " keeper's page.");
        }
        if (!clock.instant().isBefore(claimed.expiresAt())) {
            throw fail(400, "state_expired", "This sign-in took longer than " + LIFETIME.toMinutes() + " minutes. Start again from the"
                    + " keeper's page.");
        }
        if (callback.error() != null) {
            throw refusedAtYoto(callback);
        }
        if (callback.code() == null) {
            throw fail(400, "missing_code", "Yoto sent you back without a sign-in code. Start again from the keeper's page.");
        }
        exchange.setProperty(CODE, callback.code());
        exchange.setProperty(VERIFIER, claimed.verifier());
    }

    /** RFC 6749 §4.1.3: the code, with the verifier only this keeper holds. */
    public UrlEncodedFormEntity codeGrant(Exchange exchange) {
        return oauth.authorizationCodeGrant(exchange.getProperty(CODE, String.class), exchange.getProperty(VERIFIER, String.class));
    }

    /** 5xx, 3xx and the like say nothing about the code: a failure of the server. */
    public void checkStatus(Exchange exchange) {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (OAuthClient.saysNothing(status)) {
            throw fail(502, "login_server_failed", "Yoto's login server failed (HTTP " + status + "). Nothing was saved: try again in a"
                    + " moment.");
        }
    }

    /** The code could not be exchanged: no answer, a timeout, an answer that is not JSON. */
    public void exchangeFailed(Exchange exchange) {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (failure instanceof BrowserLoginException known) {
            throw known;
        }
        String reason = FailureReasons.describe(failure, 0);
        LOG.warn("Browser sign-in failed: {}", reason);
        throw fail(502, "login_server_failed", "The keeper could not complete the sign-in with Yoto's login server: " + reason
                + ". Nothing was saved: try again in a moment.");
    }

    /**
     * The token endpoint's answer: a login with a refresh token is saved through the session, the one path every login
     * takes (durably, one at a time with refreshes), and a device login still waiting is cancelled.
     */
    public void complete(Exchange exchange) {
        TokenEndpointResponse answer = exchange.getMessage().getBody(TokenEndpointResponse.class);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (answer == null) {
            throw fail(502, "login_server_failed", "Yoto's login server answered HTTP " + status + " with nothing. Nothing was saved: try"
                    + " again.");
        }
        if (answer.error() != null) {
            String reason = FailureReasons.serverError(status, answer.error(), answer.errorDescription());
            LOG.warn("Browser sign-in refused: {}", reason);
            throw fail(400, "code_refused", "Yoto's login server refused the sign-in code (" + FailureReasons.serverText(answer.error())
                    + describe(answer.errorDescription()) + "). Nothing was saved: start again from the keeper's page.");
        }
        if (!OAuthClient.successful(status)) {
            throw fail(502, "login_server_failed", "Yoto's login server answered HTTP " + status + " without an error code. Nothing was"
                    + " saved: try again.");
        }
        if (!answer.hasRefreshToken()) {
            LOG.warn("Browser sign-in gave no refresh token: is offline_access in YOTO_SCOPE?");
            throw fail(502, "no_refresh_token", "Yoto signed you in but gave no refresh token, so the keeper could not keep the login"
                    + " alive. Add offline_access to YOTO_SCOPE (it is in the default) and sign in again.");
        }
        deviceLogins.cancel(); // first: a code login answered now cannot overwrite this one (DeviceLoginFlow saves only while pending)
        session.loggedIn(answer);
        LOG.info("Browser sign-in approved: the Yoto account is connected");
    }

    /** The scheme, host and port the browser signs in from: where Yoto sends it back. */
    public String origin() {
        java.net.URI uri = settings.redirectUri();
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    /** The sign-in of this state, marked used if this browser's cookie is its own (another browser's try spends nothing). */
    private Started take(String state, String browserCookie) {
        synchronized (started) {
            Started found = started.get(state);
            if (found != null && browserCookie != null && Secrets.sameSecret(browserCookie, found.browserDigest())) {
                started.put(state, new Started(found.verifier(), found.browserDigest(), found.expiresAt(), true));
            }
            return found;
        }
    }

    private void forgetExpired(Instant now) {
        started.values().removeIf(signIn -> !now.isBefore(signIn.expiresAt()));
    }

    private static BrowserLoginException refusedAtYoto(SignInCallback callback) {
        String error = FailureReasons.serverText(callback.error());
        if ("access_denied".equals(error)) {
            LOG.info("Browser sign-in declined at Yoto");
            return fail(400, "access_denied", "The sign-in was declined at Yoto" + describe(callback.errorDescription())
                    + ". Nothing was changed.");
        }
        LOG.warn("Browser sign-in ended at Yoto: {}{}", error, describe(callback.errorDescription()));
        return fail(400, "authorize_error", "Yoto's login page ended the sign-in: " + error + describe(callback.errorDescription())
                + ". Nothing was changed.");
    }

    private static String describe(String description) {
        return description == null || description.isBlank() ? "" : ": " + FailureReasons.serverText(description);
    }

    private static BrowserLoginException fail(int status, String code, String message) {
        return new BrowserLoginException(status, code, message);
    }
}
