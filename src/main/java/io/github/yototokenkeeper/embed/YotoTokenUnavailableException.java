package io.github.yototokenkeeper.embed;

/**
 * No valid access token right now, for a reason that may pass (the token server is unreachable or failing); the
 * keeper keeps retrying. A later call may succeed.
 */
public class YotoTokenUnavailableException extends RuntimeException {

    public YotoTokenUnavailableException(String message) {
        super(message);
    }
}
