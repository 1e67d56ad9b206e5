package io.github.yototokenkeeper.embed;

/**
 * No access token can be had until a person logs in: there is no refresh token yet (logged out), or Yoto refused the
 * saved one for good (re-login needed). Thrown by {@code direct:yoto-access-token} and everything built on it.
 */
public class YotoLoginRequiredException extends RuntimeException {

    public YotoLoginRequiredException(String message) {
        super(message);
    }
}
