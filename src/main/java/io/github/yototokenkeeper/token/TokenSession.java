package io.github.yototokenkeeper.token;

import io.github.yototokenkeeper.oauth.Secrets;
import io.github.yototokenkeeper.oauth.TokenEndpointResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of the session: the tokens and their expiry, where the session stands, when to refresh next, the
 * login generation, the window after a lost answer, the refused token's fingerprint and a rotated token the disk
 * refused. One lock guards all of it, and only named transitions ({@link Transition}) change it; listeners hear of
 * each one afterwards. A rotated refresh token is written to the token file inside the transition, before anything
 * else happens. What readers need (the hand-out, the status page, health, metrics) is published as one immutable view
 * at the end of every change and read without the lock, so a slow disk under a write never holds them up. Plain Java:
 * tested with a clock the test moves. Never prints a token.
 */
public final class TokenSession {

    /** The logger users read: every line of the keeper's own goes here. */
    public static final String LOG_NAME = "yoto-token-keeper";
    private static final Logger LOG = LoggerFactory.getLogger(LOG_NAME);

    private final Clock clock;
    private final TokenFile tokenFile;
    private final RefreshPolicy policy;
    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
    /** Listeners hear the transitions in the order they happened; one overtaken by a later one is not told. */
    private final Object dispatch = new Object();
    private long lastDispatched;

    private SessionState state = SessionState.LOGGED_OUT;
    private String accessToken;
    private Instant accessTokenExpiresAt;
    /** When the current access token arrived: a 401 only rejects a token at least a minute old. */
    private Instant accessTokenReceivedAt;
    private Instant earlyRefreshAt;
    private Instant scheduledRefreshAt;
    private Instant retryAt;
    private Instant lastRefreshAt;
    private Instant lastAttemptEndedAt;
    private int consecutiveFailures;
    private String lastError;
    /** A rotated refresh token the disk would not take: its only copy. Used for the next refresh, written again. */
    private String unsavedRefreshToken;
    private long successes;
    private long failures;
    private long reauths;
    /**
     * Bumped by every login and logout. A refresh that began under an older generation must not write its answer over
     * what the user did: each transition of an attempt checks it.
     */
    private long generation;
    /** Until when a lost answer may mean the server rotated already: retry fast with the same token until then. */
    private Instant lostAnswerUntil;
    /** SHA-256 of the refresh token the server refused for good: the same token is not sent again. */
    private String refusedTokenFingerprint;
    /** The expiry of the current access token was announced (ACCESS_TOKEN_EXPIRED) once already. */
    private boolean expiryAnnounced;
    private long sequence;
    /** The readers' copy, replaced at the end of every change (see the class comment). */
    private volatile View view;

    private record View(SessionState state, String accessToken, Instant accessTokenExpiresAt, Instant earlyRefreshAt,
            Instant retryAt, long successes, long failures, long reauths, SessionSnapshot snapshot) {
    }

    public TokenSession(Clock clock, TokenFile tokenFile, RefreshPolicy policy) {
        this.clock = clock;
        this.tokenFile = tokenFile;
        this.policy = policy;
        publish();
    }

    public void addListener(SessionListener listener) {
        listeners.add(listener);
    }

    public Clock clock() {
        return clock;
    }

    public Instant now() {
        return clock.instant();
    }

    public Path tokenPath() {
        return tokenFile.path();
    }

    public RefreshPolicy policy() {
        return policy;
    }

    // ---- what the session knows -------------------------------------------------------------------------------

    public SessionSnapshot snapshot() {
        return view.snapshot();
    }

    public SessionState state() {
        return view.state();
    }

    /** The access token, while it has not expired. */
    public Optional<String> validAccessToken() {
        return validAccess().map(ValidAccessToken::accessToken);
    }

    /** The access token and its expiry, read together from one view, while the token has not expired. */
    public Optional<ValidAccessToken> validAccess() {
        View current = view;
        if (current.accessToken() == null || (current.accessTokenExpiresAt() != null && !now().isBefore(current.accessTokenExpiresAt()))) {
            return Optional.empty();
        }
        return Optional.of(new ValidAccessToken(current.accessToken(), current.accessTokenExpiresAt()));
    }

    /** Held, not expired, and not yet at its early-refresh point: good to hand out without refreshing first. */
    public boolean accessTokenFresh() {
        Instant early = view.earlyRefreshAt();
        return validAccessToken().isPresent() && (early == null || now().isBefore(early));
    }

    /** May a caller trigger a refresh now? Not after a permanent failure, and not before a planned retry. */
    public boolean refreshAllowedNow() {
        View current = view;
        return current.state() != SessionState.REAUTH_REQUIRED
                && (current.state() != SessionState.REFRESH_FAILING || current.retryAt() == null || !now().isBefore(current.retryAt()));
    }

    /** True when an attempt ended after {@code requestedAt}: a caller who asked then can use its outcome. */
    public synchronized boolean attemptEndedSince(Instant requestedAt) {
        return lastAttemptEndedAt != null && !lastAttemptEndedAt.isBefore(requestedAt);
    }

    /**
     * Is a refresh due now: the first one (none attempted yet), an early refresh before the access token lapses, or a
     * retry after a failure? The first case covers a replica that just became leader: Camel's timer under master: can
     * lose its immediate first tick when its task was scheduled before the leadership started the consumer.
     */
    public synchronized boolean refreshDue() {
        if (lastAttemptEndedAt == null) {
            return true;
        }
        Instant due = switch (state) {
            case AUTHENTICATED -> earlyRefreshAt;
            case REFRESH_FAILING -> retryAt;
            default -> null;
        };
        return due != null && !now().isBefore(due);
    }

    /** The next moment something is due by itself: an early refresh, a retry, or the access token's expiry. */
    public synchronized Optional<Instant> nextWakeUp() {
        return Optional.ofNullable(switch (state) {
            case AUTHENTICATED -> earlyRefreshAt;
            case REFRESH_FAILING -> sooner(retryAt, expiryAnnounced ? null : accessTokenExpiresAt);
            default -> null;
        });
    }

    /** After a lost answer: the server accepts the previous token only for a short reuse interval; retry within it. */
    public synchronized boolean retrySoon() {
        return lostAnswerUntil != null && now().isBefore(lostAnswerUntil) && state == SessionState.REFRESH_FAILING;
    }

    /** Is this attempt still about the session, with no login or logout since it began? */
    public synchronized boolean isCurrent(RefreshAttempt attempt) {
        return attempt.generation() == generation;
    }

    /** Refresh attempts so far with this outcome: success, failure or reauth_required (for metrics). */
    public long outcomes(String outcome) {
        View current = view;
        return switch (outcome) {
            case "success" -> current.successes();
            case "failure" -> current.failures();
            case "reauth_required" -> current.reauths();
            default -> 0;
        };
    }

    // ---- the steps of a refresh ---------------------------------------------------------------------------------

    /**
     * The refresh token this attempt sends: the one held in memory, else the file's. Read under the lock a login or
     * logout writes under, so the token and its generation match.
     *
     * @throws TokenFileException when the file exists but cannot be read: a failure, never "logged out"
     */
    public synchronized Optional<String> tokenToSend(RefreshAttempt attempt) throws TokenFileException {
        attempt.readUnder(generation); // first: a file that cannot be read is this session's failure, not an outdated one
        Optional<String> token = Optional.ofNullable(unsavedRefreshToken);
        if (token.isEmpty()) {
            token = tokenFile.read();
        }
        token.ifPresent(attempt::sends);
        return token;
    }

    /** Was this very token refused for good before (and no login since)? Then it is not sent again. */
    public synchronized boolean refusedBefore(String refreshToken) {
        return state == SessionState.REAUTH_REQUIRED && Secrets.fingerprint(refreshToken).equals(refusedTokenFingerprint);
    }

    /** An attempt that found nothing to do still ends, so callers waiting on it do not try again. */
    public synchronized void attemptEnded() {
        lastAttemptEndedAt = now();
        publish();
    }

    public synchronized void scheduledRefreshAt(Instant next) {
        scheduledRefreshAt = next;
        publish();
    }

    // ---- transitions ----------------------------------------------------------------------------------------------

    /** REFRESHED: a refresh worked. Its rotated refresh token is written first; then the access token is in use. */
    public void refreshed(RefreshAttempt attempt, TokenEndpointResponse answer) {
        List<SessionEvent> events = new ArrayList<>();
        synchronized (this) {
            if (attempt.generation() != generation) {
                LOG.info("A login or logout happened while this refresh was under way: its answer is discarded");
                attempt.outdated();
                return;
            }
            attempt.succeeded(accept(answer, attempt.sentToken(), Transition.REFRESHED, events));
        }
        fire(events);
    }

    /**
     * An answer without an access token that still carries a new refresh token: the server may have rotated, so the new
     * one is saved like any rotated token. The refresh itself counts as failed (see {@link #refreshFailed}).
     */
    public void keepRotated(RefreshAttempt attempt, TokenEndpointResponse answer) {
        List<SessionEvent> events = new ArrayList<>();
        synchronized (this) {
            if (attempt.generation() == generation && answer.hasRefreshToken() && !answer.refreshToken().equals(attempt.sentToken())) {
                Transition saved = saveRotated(answer.refreshToken());
                publish();
                if (saved != null) {
                    events.add(event(saved, null));
                }
            }
        }
        fire(events);
    }

    /**
     * LOGGED_IN: a login of any flow. Its refresh token goes through the same durable writer, its access token into
     * use; a refresh under way for the session before is outdated by it.
     */
    public Instant loggedIn(TokenEndpointResponse answer) {
        List<SessionEvent> events = new ArrayList<>();
        Instant expiresAt;
        synchronized (this) {
            generation++;
            refusedTokenFingerprint = null;
            expiresAt = accept(answer, null, Transition.LOGGED_IN, events);
            LOG.info("Logged in: refresh token saved to {}; access token valid until {}", tokenFile.path(), expiresAt);
        }
        fire(events);
        return expiresAt;
    }

    /** LOGGED_OUT: the user asked. The file goes first: if it cannot be deleted, nothing changes. */
    public void loggedOut() throws TokenFileException {
        List<SessionEvent> events = new ArrayList<>();
        synchronized (this) {
            tokenFile.delete();
            generation++;
            forgetTokens();
            publish();
            LOG.info("Logged out: tokens forgotten and {} deleted", tokenFile.path());
            events.add(event(Transition.LOGGED_OUT, null));
        }
        fire(events);
    }

    /** NO_TOKEN: a refresh found no refresh token in the file: nobody has logged in. */
    public void noToken() {
        List<SessionEvent> events = new ArrayList<>();
        synchronized (this) {
            forgetTokens();
            publish();
            events.add(event(Transition.NO_TOKEN, null));
        }
        fire(events);
    }

    /**
     * REFRESH_FAILED, or ANSWER_LOST when the request went out and no answer came: the access token stays in use until
     * it expires, a retry is planned (in seconds after a lost answer, inside the server's reuse interval; else with
     * backoff and the server's {@code Retry-After}). An outdated attempt changes nothing.
     */
    public void refreshFailed(RefreshAttempt attempt, String reason, Duration retryAfter) {
        List<SessionEvent> events = new ArrayList<>();
        synchronized (this) {
            if (attempt.generation() != generation) {
                LOG.info("A refresh begun before the last login or logout failed ({}); it does not count", reason);
                attempt.outdated();
                return;
            }
            Instant now = now();
            if (attempt.isAnswerLost()) {
                lostAnswerUntil = now.plus(RefreshPolicy.AMBIGUOUS_WINDOW);
            }
            boolean soon = lostAnswerUntil != null && now.isBefore(lostAnswerUntil);
            retryAt = now.plus(soon ? RefreshPolicy.AMBIGUOUS_RETRY : policy.retryDelay(consecutiveFailures + 1, retryAfter));
            state = SessionState.REFRESH_FAILING;
            failures++;
            consecutiveFailures++;
            lastError = reason;
            lastAttemptEndedAt = now;
            attempt.failed(reason, retryAt, soon);
            publish();
            events.add(event(attempt.isAnswerLost() ? Transition.ANSWER_LOST : Transition.REFRESH_FAILED, null));
        }
        fire(events);
    }

    /** REFUSED: the server refused the refresh token for good. The file stays; the same token is never sent again. */
    public void refused(RefreshAttempt attempt, String reason) {
        List<SessionEvent> events = new ArrayList<>();
        synchronized (this) {
            if (attempt.generation() != generation) {
                LOG.info("The token server refused the token of before the last login or logout ({}); the session since is"
                        + " not affected", reason);
                attempt.outdated();
                return;
            }
            refusedTokenFingerprint = attempt.sentToken() == null ? null : Secrets.fingerprint(attempt.sentToken());
            state = SessionState.REAUTH_REQUIRED;
            reauths++;
            consecutiveFailures++;
            lastError = reason;
            accessToken = null;
            retryAt = null;
            earlyRefreshAt = null;
            lastAttemptEndedAt = now(); // a held token stays: it may be the only copy, and the file's may be older
            attempt.refused(reason);
            publish();
            events.add(event(Transition.REFUSED, null));
        }
        fire(events);
    }

    /** SAVED, when the refresh token held in memory reaches the disk at last. Tried on every expiry check. */
    public void saveUnsaved() {
        List<SessionEvent> events = new ArrayList<>();
        synchronized (this) {
            if (unsavedRefreshToken == null) {
                return;
            }
            try {
                tokenFile.write(unsavedRefreshToken);
                unsavedRefreshToken = null;
                publish();
                LOG.info("The rotated refresh token held in memory is now saved to {}", tokenFile.path());
                events.add(event(Transition.SAVED, null));
            } catch (TokenFileException e) {
                LOG.error("The rotated refresh token is still not saved: {}", e.getMessage());
            }
        }
        fire(events);
    }

    /**
     * The Yoto API refused the access token with this fingerprint (401). It is stopped (and so refreshed next) only if
     * it is still the current one and was received at least {@code minimumAge} ago: a token just received that Yoto
     * refuses is not fixed by refreshing again, and a caller must not turn every 401 into a refresh-token rotation.
     */
    public synchronized Rejection rejectAccessToken(String fingerprint, Duration minimumAge) {
        if (accessToken == null || !Secrets.fingerprint(accessToken).equals(fingerprint)) {
            return Rejection.REPLACED;
        }
        if (accessTokenReceivedAt != null && now().isBefore(accessTokenReceivedAt.plus(minimumAge))) {
            return Rejection.KEPT;
        }
        accessToken = null;
        earlyRefreshAt = null;
        publish();
        return Rejection.REJECTED;
    }

    /** What a 401 of the Yoto API did to the access token it was sent with. */
    public enum Rejection {
        /** It was the current token, old enough: no longer handed out, so the next caller refreshes first. */
        REJECTED,
        /** It is no longer the current token (or none is held): a newer one may be tried, with no refresh for it. */
        REPLACED,
        /** It is the current token but too recent to blame: kept, no refresh. */
        KEPT
    }

    /** ACCESS_TOKEN_EXPIRED, once, when the access token lapsed while refreshes kept failing. */
    public void wakeUp() {
        List<SessionEvent> events = new ArrayList<>();
        synchronized (this) {
            if (state == SessionState.REFRESH_FAILING && !expiryAnnounced && snapshot().accessTokenExpired(now())) {
                expiryAnnounced = true;
                publish();
                events.add(event(Transition.ACCESS_TOKEN_EXPIRED, null));
            }
        }
        fire(events);
    }

    // ---- inside the lock ------------------------------------------------------------------------------------------

    /** RFC 6749 §6: a new refresh token is saved first (none in the answer keeps the old one); then the access token. */
    private Instant accept(TokenEndpointResponse answer, String sent, Transition transition, List<SessionEvent> events) {
        lostAnswerUntil = null;
        Transition saved = answer.hasRefreshToken() && !answer.refreshToken().equals(sent) ? saveRotated(answer.refreshToken()) : null;
        Instant receivedAt = now();
        Optional<Duration> lifetime = RefreshPolicy.accessTokenLifetime(answer.expiresIn());
        state = SessionState.AUTHENTICATED;
        accessToken = answer.accessToken();
        accessTokenReceivedAt = receivedAt;
        accessTokenExpiresAt = lifetime.map(receivedAt::plus).orElse(null);
        earlyRefreshAt = lifetime.map(life -> policy.earlyRefreshAt(receivedAt, life)).orElse(null);
        lastRefreshAt = receivedAt;
        lastAttemptEndedAt = receivedAt;
        successes++;
        consecutiveFailures = 0;
        lastError = null;
        retryAt = null;
        refusedTokenFingerprint = null;
        expiryAnnounced = false;
        publish();
        if (saved != null) {
            events.add(event(saved, null)); // told with the state after the refresh, so alerts see the whole change
        }
        events.add(event(transition, accessToken));
        return accessTokenExpiresAt;
    }

    /** Writes a rotated refresh token; answers SAVED or UNSAVED when that changes what is held in memory, else null. */
    private Transition saveRotated(String rotated) {
        try {
            tokenFile.write(rotated);
            if (unsavedRefreshToken != null) {
                unsavedRefreshToken = null; // the file now holds the newest token: nothing older may be used
                return Transition.SAVED;
            }
            return null;
        } catch (TokenFileException | IllegalArgumentException e) {
            unsavedRefreshToken = rotated;
            LOG.error("The rotated refresh token could not be saved: {}. It is kept in memory, used for the next refresh and"
                    + " written as soon as the disk allows; if the service stops before then, a new login is needed", e.getMessage());
            return Transition.UNSAVED;
        }
    }

    /** The readers' copy of the state as it is now; called at the end of every change, inside the lock. */
    private void publish() {
        view = new View(state, accessToken, accessTokenExpiresAt, earlyRefreshAt, retryAt, successes, failures, reauths,
                new SessionSnapshot(state, accessTokenExpiresAt, lastRefreshAt, nextRefreshAt(), consecutiveFailures, lastError,
                        unsavedRefreshToken != null));
    }

    private void forgetTokens() {
        state = SessionState.LOGGED_OUT;
        accessToken = null;
        accessTokenReceivedAt = null;
        accessTokenExpiresAt = null;
        earlyRefreshAt = null;
        retryAt = null;
        consecutiveFailures = 0;
        lastError = null;
        unsavedRefreshToken = null;
        lostAnswerUntil = null;
        refusedTokenFingerprint = null;
        expiryAnnounced = false;
        lastAttemptEndedAt = now();
    }

    private SessionEvent event(Transition transition, String newAccessToken) {
        return new SessionEvent(transition, view.snapshot(), now(), newAccessToken, ++sequence);
    }

    /** The sooner of the next scheduled tick and the early refresh (or retry); none when a refresh cannot help. */
    private Instant nextRefreshAt() {
        return switch (state) {
            case LOGGED_OUT, REAUTH_REQUIRED -> null;
            case AUTHENTICATED -> sooner(earlyRefreshAt, scheduledRefreshAt);
            case REFRESH_FAILING -> sooner(retryAt, scheduledRefreshAt);
        };
    }

    private static Instant sooner(Instant a, Instant b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return a.isBefore(b) ? a : b;
    }

    // ---- outside the lock -----------------------------------------------------------------------------------------

    /**
     * Tells the listeners, in the order the transitions happened: two threads may leave the lock in either order, and
     * a transition overtaken by a later one (a refresh's, by a login's on another thread) is not told at all, so no
     * listener ends on an older token or state.
     */
    private void fire(List<SessionEvent> events) {
        synchronized (dispatch) {
            for (SessionEvent event : events) {
                if (event.sequence() <= lastDispatched) {
                    continue;
                }
                lastDispatched = event.sequence();
                for (SessionListener listener : listeners) {
                    try {
                        listener.on(event);
                    } catch (RuntimeException failed) {
                        LOG.warn("A listener of the session failed on {}: {}", event.transition(), failed.toString());
                    }
                }
            }
        }
    }
}
