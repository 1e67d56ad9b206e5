package io.github.yototokenkeeper.embed;

import io.github.yototokenkeeper.token.AccessTokens;
import io.github.yototokenkeeper.token.AccessTokens.HandOut;
import io.github.yototokenkeeper.token.TokenSession;
import org.apache.camel.Exchange;

/** The access token for a host's route, or the public exception that says why there is none. */
public final class HostAccessTokens {

    /** Which access token a Yoto API call used (its SHA-256, never the token): a 401 rejects that one only. */
    static final String USED_TOKEN_FINGERPRINT = "yotoKeeperUsedTokenFingerprint";

    private final AccessTokens tokens;

    public HostAccessTokens(AccessTokens tokens) {
        this.tokens = tokens;
    }

    public boolean refreshFirst() {
        return tokens.refreshFirst();
    }

    /**
     * @throws YotoLoginRequiredException when only a login can help
     * @throws YotoTokenUnavailableException when refreshing fails for now
     */
    public String accessToken() {
        HandOut handOut = tokens.handOut();
        if (handOut instanceof HandOut.Granted granted) {
            return granted.accessToken();
        }
        if (handOut instanceof HandOut.LoginRequired required) {
            throw new YotoLoginRequiredException(required.reason());
        }
        throw new YotoTokenUnavailableException(((HandOut.Unavailable) handOut).reason());
    }

    /**
     * The Yoto API answered 401 to the token the call used: stop handing it out if it is still the current one and at
     * least a minute old (then the retry refreshes first). A retry is worth it then, or when a newer token came since;
     * not for a token just received, which a refresh would not fix.
     *
     * @return whether to retry once
     */
    public boolean rejectAndRetry(Exchange exchange) {
        String fingerprint = exchange.getProperty(USED_TOKEN_FINGERPRINT, String.class);
        return fingerprint != null && tokens.reject(fingerprint) != TokenSession.Rejection.KEPT;
    }

    static String fingerprint(String accessToken) {
        return AccessTokens.fingerprint(accessToken);
    }
}
