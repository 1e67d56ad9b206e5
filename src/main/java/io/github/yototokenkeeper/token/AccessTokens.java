package io.github.yototokenkeeper.token;

import io.github.yototokenkeeper.oauth.Secrets;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Hands the access token to whoever asks (a host's routes, other programs through the program API): refresh first when it is missing
 * or due, then hand it out, or say why there is none. With several replicas, a follower hands out the token its
 * leader shares and never refreshes.
 */
public final class AccessTokens {

    /** What a caller gets. */
    public sealed interface HandOut {
        /** {@link #toString()} never shows the token. */
        record Granted(String accessToken, Instant expiresAt) implements HandOut {
            @Override
            public String toString() {
                return "Granted[access token, expiresAt=" + expiresAt + "]";
            }
        }

        /** Only a person can help: nobody is logged in, or the server refused the saved login. */
        record LoginRequired(String reason) implements HandOut {
        }

        /** No valid token right now, for a reason that may pass; the keeper keeps trying. */
        record Unavailable(String reason) implements HandOut {
        }
    }

    /** A 401 on a token younger than this refreshes nothing: refreshing again would not fix it. */
    public static final java.time.Duration MINIMUM_AGE_TO_REJECT = java.time.Duration.ofSeconds(60);

    private final TokenSession session;
    private final BooleanSupplier leader;
    private final SharedAccessToken shared;

    /** @param shared the leader's shared access token with several replicas, else null */
    public AccessTokens(TokenSession session, BooleanSupplier leader, SharedAccessToken shared) {
        this.session = session;
        this.leader = leader;
        this.shared = shared;
    }

    /** A caller needs a token: refresh first when it is missing or due, unless a refresh cannot help right now. */
    public boolean refreshFirst() {
        return leader.getAsBoolean() && !session.accessTokenFresh() && session.refreshAllowedNow();
    }

    public HandOut handOut() {
        if (shared != null && !leader.getAsBoolean()) {
            return shared.read(session.now()).<HandOut>map(s -> new HandOut.Granted(s.accessToken(), s.expiresAt())).orElseGet(() -> new HandOut.Unavailable(
                    "this replica follows the leader, which has not shared a valid access token in " + shared.path() + " yet"));
        }
        Optional<ValidAccessToken> token = session.validAccess();
        SessionSnapshot snapshot = session.snapshot();
        if (snapshot.state() == SessionState.REAUTH_REQUIRED) {
            return new HandOut.LoginRequired("Yoto refused the saved login (" + snapshot.lastError() + "): log in again on the keeper's page");
        }
        if (token.isPresent()) {
            return new HandOut.Granted(token.get().accessToken(), token.get().expiresAt());
        }
        if (snapshot.state() == SessionState.LOGGED_OUT) {
            return new HandOut.LoginRequired("not logged in to Yoto: log in on the keeper's page");
        }
        return new HandOut.Unavailable("no valid Yoto access token right now"
                + (snapshot.lastError() == null ? "" : ": " + snapshot.lastError()) + "; the keeper keeps retrying");
    }

    /**
     * The Yoto API answered 401 to the token with this fingerprint: stop handing it out if it is the current one and at
     * least {@link #MINIMUM_AGE_TO_REJECT} old (see {@link TokenSession#rejectAccessToken}). A follower replica never
     * rejects: its leader refreshes.
     *
     * @return whether a retry may help: with a refresh ({@code REJECTED}), with a newer token ({@code REPLACED}), or not
     */
    public TokenSession.Rejection reject(String fingerprint) {
        if (shared != null && !leader.getAsBoolean()) {
            return TokenSession.Rejection.KEPT;
        }
        return session.rejectAccessToken(fingerprint, MINIMUM_AGE_TO_REJECT);
    }

    public static String fingerprint(String accessToken) {
        return Secrets.fingerprint(accessToken);
    }
}
