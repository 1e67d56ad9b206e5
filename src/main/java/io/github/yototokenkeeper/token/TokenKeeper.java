package io.github.yototokenkeeper.token;

import io.github.yototokenkeeper.config.KeeperSettings;
import io.github.yototokenkeeper.embed.YotoLoginRequiredException;
import io.github.yototokenkeeper.embed.YotoTokenUnavailableException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.apache.camel.Exchange;
import org.apache.hc.client5.http.entity.UrlEncodedFormEntity;
import org.apache.hc.core5.http.NameValuePair;
import org.apache.hc.core5.http.message.BasicNameValuePair;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decisions of the refresh route, one method per step: whether to refresh, what to send, what the answer means.
 * The route wires these to the timer, the token file and the token endpoint.
 */
public final class TokenKeeper {

    public static final String LOG_NAME = "yoto-token-keeper";
    /** When a caller asked for a refresh: an attempt that ends after this answers it too (single flight). */
    public static final String REQUESTED_AT = "yotoKeeperRequestedAt";
    /** The refresh token sent: an exchange property (never a header, which camel-http would send) and never logged. */
    static final String SENT_TOKEN = "yotoKeeperSentRefreshToken";
    public static final String FAILURE = "yotoKeeperFailure";
    public static final String RETRY_AT = "yotoKeeperRetryAt";
    /** Set when the request went out and no answer came back, even to an immediate retry. */
    public static final String AMBIGUOUS = "yotoKeeperAmbiguous";
    public static final String VALID_UNTIL = "yotoKeeperAccessTokenValidUntil";
    /** Set when a login or logout came while this refresh was under way: its outcome no longer describes the session. */
    public static final String OUTDATED = "yotoKeeperOutdated";
    static final String GENERATION = "yotoKeeperGeneration";
    /** Which access token a Yoto API call used (its SHA-256, never the token). */
    public static final String USED_TOKEN_FINGERPRINT = "yotoKeeperUsedTokenFingerprint";

    private static final Logger LOG = LoggerFactory.getLogger(LOG_NAME);

    private final KeeperSettings settings;
    private final TokenFile tokenFile;
    private final TokenState state;
    private final RefreshPolicy policy;
    /** Told of every new access token (see YotoEndpoints.TOKEN_REFRESHED). */
    private volatile BiConsumer<String, Instant> onRefreshed = (token, expiresAt) -> { };
    private volatile KeeperAlerts alerts;
    /** Until when a lost answer may mean the server rotated already: retry fast with the same token until then. */
    private Instant ambiguousUntil;
    /** With several replicas: is this one the leader (the only one that refreshes)? Alone, always. */
    private volatile BooleanSupplier leader = () -> true;
    /** With several replicas: the access token the leader shares with the others, else null. */
    private volatile SharedAccessToken shared;
    /** SHA-256 of the refresh token the server refused for good: the same token is not sent again. */
    private volatile String refusedTokenFingerprint;
    /**
     * Bumped by every login and logout. A refresh that began under an older generation must not write its answer over
     * what the user just did, so saving checks it under this object's lock.
     */
    private long generation;

    public TokenKeeper(KeeperSettings settings, TokenFile tokenFile, TokenState state, RefreshPolicy policy) {
        this.settings = settings;
        this.tokenFile = tokenFile;
        this.state = state;
        this.policy = policy;
    }

    public Instant now() {
        return state.now();
    }

    public void onRefreshed(BiConsumer<String, Instant> listener) {
        this.onRefreshed = listener;
    }

    /** Run as one of several replicas: refresh only while {@code leader} says so, share the access token via {@code file}. */
    public void replicated(BooleanSupplier leader, SharedAccessToken file) {
        this.leader = leader;
        this.shared = file;
    }

    public void alerts(KeeperAlerts alerts) {
        this.alerts = alerts;
    }

    /** After every change, and on every expiry check: tell someone what is new (see KeeperAlerts). */
    public void checkAlerts() {
        KeeperAlerts current = alerts;
        if (current != null) {
            current.evaluate(state.snapshot(), now());
        }
    }

    /** A caller needs a token: refresh first when it is missing or due, unless a refresh cannot help right now. */
    public boolean needsRefreshBeforeUse() {
        return leader.getAsBoolean() && !state.accessTokenFresh() && state.refreshAllowedNow();
    }

    /**
     * The access token to hand to a caller.
     *
     * @throws YotoLoginRequiredException when only a login can help
     * @throws YotoTokenUnavailableException when refreshing fails for now
     */
    public String usableAccessToken() {
        if (shared != null && !leader.getAsBoolean()) {
            return shared.read(now()).map(SharedAccessToken.Shared::accessToken).orElseThrow(() -> new YotoTokenUnavailableException(
                    "this replica follows the leader, which has not shared a valid access token in " + shared.path() + " yet"));
        }
        Optional<String> token = state.validAccessToken();
        TokenStatus status = state.snapshot();
        if (status.status() == TokenState.Status.REAUTH_REQUIRED) {
            throw new YotoLoginRequiredException("Yoto refused the saved login (" + status.lastError() + "): log in again on the keeper's page");
        }
        if (token.isPresent()) {
            return token.get();
        }
        if (status.status() == TokenState.Status.LOGGED_OUT) {
            throw new YotoLoginRequiredException("not logged in to Yoto: log in on the keeper's page");
        }
        throw new YotoTokenUnavailableException("no valid Yoto access token right now"
                + (status.lastError() == null ? "" : ": " + status.lastError()) + "; the keeper keeps retrying");
    }

    /** The Yoto API answered 401 to the token with this fingerprint: stop handing it out. */
    public void rejectAccessToken(Exchange exchange) {
        String used = exchange.getProperty(USED_TOKEN_FINGERPRINT, String.class);
        state.validAccessToken().filter(token -> fingerprint(token).equals(used)).ifPresent(state::rejectAccessToken);
    }

    /** The schedule fired: note when it fires next, for the status page. */
    public void scheduleTick() {
        state.scheduledRefreshAt(now().plus(policy.interval()));
    }

    /**
     * Should this request reach the token endpoint? Loads the refresh token into the exchange when it should, and
     * says at INFO why not when it should not.
     *
     * @throws TokenFileException when the token file exists but cannot be read: a failure, never "logged out"
     */
    public boolean prepareRefresh(Exchange exchange) throws TokenFileException {
        Instant requestedAt = exchange.getProperty(REQUESTED_AT, Instant.class);
        if (requestedAt != null && state.attemptEndedSince(requestedAt)) {
            LOG.debug("A refresh that ended after this request already answered it");
            return false;
        }
        if (!leader.getAsBoolean()) {
            LOG.info("Not refreshing: another replica holds the lock and refreshes");
            state.attemptEnded();
            return false;
        }
        if (exchange.getContext().isStopping()) {
            LOG.info("Shutting down: refresh abandoned before its request was sent");
            return false;
        }
        if (!settings.canRefresh()) {
            LOG.info("Not refreshing: YOTO_CLIENT_ID is not set"); // the start-up report warned once
            state.attemptEnded();
            return false;
        }
        Optional<String> token;
        long readUnder;
        synchronized (this) {
            // a login or logout replaces the file under this lock: the token read and its generation must match, or
            // the answer for an old token could pass as the new session's (or a refusal of it end the new session)
            token = state.unsavedRefreshToken();
            if (token.isEmpty()) {
                token = tokenFile.read();
            }
            readUnder = generation;
        }
        if (token.isEmpty()) {
            LOG.info("Not authenticated: no refresh token in {}; log in on the keeper's page", tokenFile.path());
            state.loggedOut();
            return false;
        }
        if (state.status() == TokenState.Status.REAUTH_REQUIRED && fingerprint(token.get()).equals(refusedTokenFingerprint)) {
            LOG.info("Re-login needed: the token server refused this refresh token; not trying it again until a new login");
            state.attemptEnded();
            return false;
        }
        exchange.setProperty(SENT_TOKEN, token.get());
        exchange.setProperty(GENERATION, readUnder);
        return true;
    }

    /** The refresh_token grant, form-encoded as RFC 6749 §6 and Yoto expect (a public client: no secret). */
    public UrlEncodedFormEntity refreshGrant(Exchange exchange) {
        List<NameValuePair> form = List.of(
                new BasicNameValuePair("grant_type", "refresh_token"),
                new BasicNameValuePair("client_id", settings.clientId().orElseThrow()),
                new BasicNameValuePair("refresh_token", exchange.getProperty(SENT_TOKEN, String.class)),
                new BasicNameValuePair("audience", settings.audience()));
        return new UrlEncodedFormEntity(form, StandardCharsets.UTF_8);
    }

    /** Statuses whose body says nothing about the token (5xx, 429, redirects) are transient failures at once. */
    public void checkStatus(Exchange exchange) throws RefreshFailedException {
        int status = httpStatus(exchange);
        if (status >= 500 || status == 429 || status < 200 || (status >= 300 && status < 400)) {
            throw new RefreshFailedException("the token endpoint answered HTTP " + status,
                    policy.retryAfter(exchange.getMessage().getHeader("Retry-After", String.class), now()));
        }
    }

    /**
     * Reads the JSON answer. Success: a rotated refresh token is written to disk before anything else happens, then
     * the new access token is put in use. An error is classified from its JSON {@code error}, whatever the status.
     */
    public void acceptTokenResponse(Exchange exchange) throws RefreshFailedException {
        TokenEndpointResponse answer = exchange.getMessage().getBody(TokenEndpointResponse.class);
        int status = httpStatus(exchange);
        String sent = exchange.getProperty(SENT_TOKEN, String.class);
        if (answer == null) {
            throw new RefreshFailedException("the token endpoint's answer (HTTP " + status + ") is empty");
        }
        if (answer.error() != null) {
            String reason = redact(FailureReasons.serverError(status, answer.error(), answer.errorDescription()), sent);
            if (FailureReasons.PERMANENT_ERRORS.contains(answer.error())) {
                throw new ReauthRequiredException(reason);
            }
            throw new RefreshFailedException(reason);
        }
        if (status < 200 || status >= 300) {
            throw new RefreshFailedException("the token endpoint answered HTTP " + status + " without an error code");
        }
        if (!answer.hasAccessToken()) {
            keepRotatedRefreshToken(exchange, answer, sent); // a broken answer may still have rotated the token
            throw new RefreshFailedException("the token endpoint's answer (HTTP " + status + ") has no access_token");
        }
        synchronized (this) {
            if (staleGeneration(exchange)) {
                LOG.info("A login or logout happened while this refresh was under way: its answer is discarded");
                return;
            }
            Instant expiresAt = accept(answer, sent);
            exchange.setProperty(VALID_UNTIL, expiresAt == null ? "unknown: the answer had no usable expires_in" : expiresAt.toString());
        }
    }

    /**
     * A successful device-flow login: its refresh token goes through the same atomic writer, its access token into the
     * state, and the schedule takes it from here (no restart).
     */
    public synchronized Instant loginSucceeded(TokenEndpointResponse answer) {
        generation++;
        refusedTokenFingerprint = null;
        Instant expiresAt = accept(answer, null);
        LOG.info("Logged in: refresh token saved to {}; access token valid until {}", tokenFile.path(), expiresAt);
        return expiresAt;
    }

    /** Forget the tokens and delete the token file: the user asked to log out. */
    public synchronized void logout() throws TokenFileException {
        tokenFile.delete(); // first: if the file cannot go, nothing changes and the next refresh would not resume it
        generation++;
        ambiguousUntil = null;
        if (alerts != null) {
            alerts.reset();
        }
        refusedTokenFingerprint = null;
        state.loggedOut();
        LOG.info("Logged out: tokens forgotten and {} deleted", tokenFile.path());
    }

    /** True when a login or logout came after this refresh began: its outcome no longer describes the session. */
    private synchronized boolean staleGeneration(Exchange exchange) {
        Long started = exchange.getProperty(GENERATION, Long.class);
        return started != null && started != generation;
    }

    /**
     * A success answer without an access token, but with a new refresh token: the server may have rotated, and then the
     * new token is the only live one. Saved like any rotated token; the refresh still counts as failed and is retried.
     */
    private synchronized void keepRotatedRefreshToken(Exchange exchange, TokenEndpointResponse answer, String sent) {
        if (!staleGeneration(exchange) && answer.hasRefreshToken() && !answer.refreshToken().equals(sent)) {
            saveRotatedRefreshToken(answer.refreshToken());
        }
    }

    /** Saves a rotated refresh token first (RFC 6749 §6: none in the answer keeps the old one), then the access token. */
    private synchronized Instant accept(TokenEndpointResponse answer, String sent) {
        ambiguousUntil = null;
        if (answer.hasRefreshToken() && !answer.refreshToken().equals(sent)) {
            saveRotatedRefreshToken(answer.refreshToken());
        }
        Instant receivedAt = now();
        Instant expiresAt = null;
        Instant earlyRefresh = null;
        Optional<Duration> lifetime = RefreshPolicy.accessTokenLifetime(answer.expiresIn());
        if (lifetime.isPresent()) {
            expiresAt = receivedAt.plus(lifetime.get());
            earlyRefresh = policy.earlyRefreshAt(receivedAt, lifetime.get());
        }
        state.refreshSucceeded(answer.accessToken(), expiresAt, earlyRefresh);
        refusedTokenFingerprint = null;
        onRefreshed.accept(answer.accessToken(), expiresAt);
        shareAccessToken(answer.accessToken(), expiresAt);
        checkAlerts();
        return expiresAt;
    }

    /** The error handler's step for transient failures: count it, and plan the retry. */
    public synchronized void refreshFailed(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = redact(FailureReasons.describe(failure, httpStatus(exchange)), exchange.getProperty(SENT_TOKEN, String.class));
        if (Boolean.TRUE.equals(exchange.getProperty(AMBIGUOUS, Boolean.class))) {
            reason = "an answer was lost after the request was sent and the immediate retry with the same token failed too ("
                    + reason + "); the server may have rotated the token: if the next refresh answers invalid_grant, log in again";
        }
        if (staleGeneration(exchange)) {
            LOG.info("A refresh begun before the last login or logout failed ({}); it does not count", reason);
            exchange.setProperty(OUTDATED, true);
            return;
        }
        Duration retryAfter = failure instanceof RefreshFailedException refreshFailure ? refreshFailure.retryAfter() : null;
        if (Boolean.TRUE.equals(exchange.getProperty(AMBIGUOUS, Boolean.class))) {
            ambiguousUntil = now().plus(RefreshPolicy.AMBIGUOUS_WINDOW);
        }
        // after a lost answer, a retry inside the server's reuse interval can still save the session: retry soon
        boolean ambiguous = ambiguousUntil != null && now().isBefore(ambiguousUntil);
        Instant retryAt = now().plus(ambiguous ? RefreshPolicy.AMBIGUOUS_RETRY
                : policy.retryDelay(state.snapshot().consecutiveFailures() + 1, retryAfter));
        state.refreshFailed(reason, retryAt);
        checkAlerts();
        exchange.setProperty(FAILURE, reason);
        exchange.setProperty(RETRY_AT, retryAt.toString());
    }

    /**
     * After a lost answer: the one immediate retry with the same token, unless a login or logout came meanwhile (the
     * user's session rules now; the old token is not sent again).
     */
    public boolean retryLostAnswer(Exchange exchange) {
        Integer retries = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
        return (retries == null || retries <= 1) && !staleGeneration(exchange); // Camel counts this failure first
    }

    /** After a lost answer, retry within the server's reuse interval, whatever the expiry check's period. */
    public synchronized boolean retrySoon() {
        return ambiguousUntil != null && now().isBefore(ambiguousUntil) && state.status() == TokenState.Status.REFRESH_FAILING;
    }

    /** The error handler's step for permanent failures: remember which token was refused; the file stays as it is. */
    public synchronized void reauthRequired(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String sent = exchange.getProperty(SENT_TOKEN, String.class);
        String reason = redact(FailureReasons.describe(failure, httpStatus(exchange)), sent);
        if (staleGeneration(exchange)) {
            LOG.info("The token server refused the token of before the last login or logout ({}); the session since is"
                    + " not affected", reason);
            exchange.setProperty(OUTDATED, true);
            return;
        }
        refusedTokenFingerprint = sent == null ? null : fingerprint(sent);
        state.reauthRequired(reason);
        checkAlerts();
        exchange.setProperty(FAILURE, reason);
    }

    /** A rotated token the disk refused is retried here, so it reaches the file as soon as the disk allows. */
    public synchronized void retryUnsavedWrite() {
        state.unsavedRefreshToken().ifPresent(token -> {
            try {
                tokenFile.write(token);
                state.unsavedRefreshTokenWritten();
                LOG.info("The rotated refresh token held in memory is now saved to {}", tokenFile.path());
                checkAlerts();
            } catch (TokenFileException e) {
                LOG.error("The rotated refresh token is still not saved: {}", e.getMessage());
            }
        });
    }

    private void shareAccessToken(String accessToken, Instant expiresAt) {
        if (shared != null) {
            try {
                shared.write(accessToken, expiresAt);
            } catch (TokenFileException e) {
                LOG.error("The other replicas get no access token: {}", e.getMessage());
            }
        }
    }

    private void saveRotatedRefreshToken(String rotated) {
        try {
            tokenFile.write(rotated);
            state.unsavedRefreshTokenWritten(); // the file now holds the newest token: nothing older may be used

        } catch (TokenFileException | IllegalArgumentException e) {
            state.holdUnsavedRefreshToken(rotated);
            checkAlerts();
            LOG.error("The rotated refresh token could not be saved: {}. It is kept in memory, used for the next refresh and"
                    + " written as soon as the disk allows; if the service stops before then, a new login is needed", e.getMessage());
        }
    }

    private static int httpStatus(Exchange exchange) {
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return status == null ? 0 : status;
    }

    /** A server that echoes the token it was sent must not put it in our logs. */
    private static String redact(String text, String token) {
        return token == null || token.isEmpty() || text == null ? text : text.replace(token, "[redacted]");
    }

    public static String fingerprint(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
