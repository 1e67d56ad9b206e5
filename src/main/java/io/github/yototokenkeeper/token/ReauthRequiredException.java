package io.github.yototokenkeeper.token;

/**
 * The token server refused the refresh token for good ({@code invalid_grant}, {@code invalid_client},
 * {@code unauthorized_client}): nothing but a new login helps, so the keeper stops refreshing until one arrives.
 */
public class ReauthRequiredException extends RuntimeException {

    public ReauthRequiredException(String reason) {
        super(reason);
    }
}
