package io.github.yototokenkeeper.token;

import io.github.yototokenkeeper.config.KeeperSettings;
import io.github.yototokenkeeper.oauth.FailureReasons;
import io.github.yototokenkeeper.oauth.OAuthClient;
import io.github.yototokenkeeper.oauth.TokenEndpointResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.apache.camel.Exchange;
import org.apache.camel.RuntimeCamelException;
import org.apache.hc.client5.http.entity.UrlEncodedFormEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the refresh route, one method each: whether to refresh, what to send, what the answer means, what a
 * failure means. Each reads the attempt (the route's one exchange property) and the answer's status from the exchange
 * and hands the outcome to the {@link TokenSession}. The routes call them as method references: no bean introspection
 * at start (issue 13).
 */
public final class TokenRefresher {

    private static final Logger LOG = LoggerFactory.getLogger(TokenSession.LOG_NAME);

    private final KeeperSettings settings;
    private final TokenSession session;
    private final OAuthClient oauth;
    private final BooleanSupplier leader;
    private final BooleanSupplier stopping;

    /**
     * @param leader   with several replicas, is this one the leader (the only one that refreshes)? Alone, always.
     * @param stopping is the keeper shutting down? Then a refresh not yet sent is abandoned.
     */
    public TokenRefresher(KeeperSettings settings, TokenSession session, OAuthClient oauth, BooleanSupplier leader, BooleanSupplier stopping) {
        this.settings = settings;
        this.session = session;
        this.oauth = oauth;
        this.leader = leader;
        this.stopping = stopping;
    }

    /** A caller asks for a refresh now: an attempt that ends after this moment answers it too (single flight). */
    public RefreshAttempt newAttempt() {
        return new RefreshAttempt(session.now());
    }

    /**
     * Should this attempt reach the token endpoint? Loads the refresh token into it when it should, and says at INFO
     * why not when it should not. A token file that exists but cannot be read is a failure, never "logged out": its
     * {@link TokenFileException}, wrapped (a predicate throws no checked exception), goes to the error handler.
     */
    public boolean prepare(Exchange exchange) {
        try {
            return prepare(attempt(exchange));
        } catch (TokenFileException e) {
            throw new RuntimeCamelException(e); // a predicate cannot throw it; the error handler matches the cause
        }
    }

    private boolean prepare(RefreshAttempt attempt) throws TokenFileException {
        if (session.attemptEndedSince(attempt.requestedAt())) {
            LOG.debug("A refresh that ended after this request already answered it");
            return false;
        }
        if (!leader.getAsBoolean()) {
            LOG.info("Not refreshing: another replica holds the lock and refreshes");
            session.attemptEnded();
            return false;
        }
        if (stopping.getAsBoolean()) {
            LOG.info("Shutting down: refresh abandoned before its request was sent");
            return false;
        }
        if (!settings.hasClientId()) {
            LOG.info("Not refreshing: YOTO_CLIENT_ID is not set"); // the start-up report warned once
            session.attemptEnded();
            return false;
        }
        Optional<String> token = session.tokenToSend(attempt);
        if (token.isEmpty()) {
            LOG.info("Not authenticated: no refresh token in {}; log in on the keeper's page", session.tokenPath());
            session.noToken();
            return false;
        }
        if (session.refusedBefore(token.get())) {
            LOG.info("Re-login needed: the token server refused this refresh token; not trying it again until a new login");
            session.attemptEnded();
            return false;
        }
        return true;
    }

    /** The refresh_token grant (RFC 6749 §6). */
    public UrlEncodedFormEntity grant(Exchange exchange) {
        return oauth.refreshGrant(attempt(exchange).sentToken());
    }

    /** Statuses whose body says nothing about the token (5xx, 429, redirects) are transient failures at once. */
    public void checkStatus(Exchange exchange) throws RefreshFailedException {
        int code = status(exchange);
        if (OAuthClient.saysNothing(code) || OAuthClient.rateLimited(code)) {
            String retryAfter = exchange.getMessage().getHeader("Retry-After", String.class);
            throw new RefreshFailedException("the token endpoint answered HTTP " + code, session.policy().retryAfter(retryAfter, session.now()));
        }
    }

    /**
     * Reads the JSON answer. Success: the session saves the rotated refresh token before anything else, then puts the
     * new access token in use. An error is classified from its JSON {@code error}, whatever the status.
     */
    public void accept(Exchange exchange) throws RefreshFailedException {
        RefreshAttempt attempt = attempt(exchange);
        TokenEndpointResponse answer = exchange.getMessage().getBody(TokenEndpointResponse.class);
        int code = status(exchange);
        if (answer == null) {
            throw new RefreshFailedException("the token endpoint's answer (HTTP " + code + ") is empty");
        }
        if (answer.error() != null) {
            String reason = redact(FailureReasons.serverError(code, answer.error(), answer.errorDescription()), attempt.sentToken());
            if (FailureReasons.PERMANENT_ERRORS.contains(answer.error())) {
                throw new ReauthRequiredException(reason);
            }
            throw new RefreshFailedException(reason);
        }
        if (!OAuthClient.successful(code)) {
            throw new RefreshFailedException("the token endpoint answered HTTP " + code + " without an error code");
        }
        if (!answer.hasAccessToken()) {
            session.keepRotated(attempt, answer); // a broken answer may still have rotated the token
            throw new RefreshFailedException("the token endpoint's answer (HTTP " + code + ") has no access_token");
        }
        session.refreshed(attempt, answer);
    }

    /** The request went out and no answer came: the server may have rotated already. */
    public void answerLost(Exchange exchange) {
        RefreshAttempt attempt = attempt(exchange);
        if (attempt != null) {
            attempt.answerLost();
        }
    }

    /** Did the attempt change the session (no login or logout came meanwhile)? Then its outcome is logged. */
    public boolean current(Exchange exchange) {
        RefreshAttempt attempt = attempt(exchange);
        return attempt != null && !attempt.isOutdated();
    }

    /** The error handler's step for transient failures: count it and plan the retry. */
    public void failed(Exchange exchange) {
        failed(attempt(exchange), failure(exchange), status(exchange));
    }

    private void failed(RefreshAttempt attempt, Throwable failure, int status) {
        if (attempt == null) { // a timer's route failed before any attempt began
            LOG.warn("Token refresh not started: {}", FailureReasons.describe(failure, 0));
            return;
        }
        String reason = redact(FailureReasons.describe(failure, status), attempt.sentToken());
        if (attempt.isAnswerLost()) {
            reason = "an answer was lost after the request was sent and the immediate retry with the same token failed too ("
                    + reason + "); the server may have rotated the token: if the next refresh answers invalid_grant, log in again";
        }
        Duration retryAfter = failure instanceof RefreshFailedException refreshFailure ? refreshFailure.retryAfter() : null;
        session.refreshFailed(attempt, reason, retryAfter);
    }

    /** The error handler's step for permanent failures: the session remembers which token was refused. */
    public void refused(Exchange exchange) {
        RefreshAttempt attempt = attempt(exchange);
        if (attempt == null) {
            failed(null, failure(exchange), status(exchange));
            return;
        }
        session.refused(attempt, redact(FailureReasons.describe(failure(exchange), status(exchange)), attempt.sentToken()));
    }

    /**
     * After a lost answer: the one immediate retry with the same token, unless a login or logout came meanwhile (the
     * user's session rules now; the old token is not sent again). Camel counts this failure first.
     */
    public boolean retryLostAnswer(Exchange exchange) {
        RefreshAttempt attempt = attempt(exchange);
        Integer retries = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
        return attempt != null && (retries == null || retries <= 1) && session.isCurrent(attempt);
    }

    /** The schedule fired: note when it fires next, for the status page. */
    public void scheduleTick() {
        session.scheduledRefreshAt(session.now().plus(session.policy().interval()));
    }

    private static RefreshAttempt attempt(Exchange exchange) {
        return exchange.getProperty(RefreshAttempt.PROPERTY, RefreshAttempt.class);
    }

    private static Throwable failure(Exchange exchange) {
        return exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }

    private static int status(Exchange exchange) {
        return exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
    }

    /** A server that echoes the token it was sent must not put it in our logs. */
    private static String redact(String text, String token) {
        return token == null || token.isEmpty() || text == null ? text : text.replace(token, "[redacted]");
    }
}
