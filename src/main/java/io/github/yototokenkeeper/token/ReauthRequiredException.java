package io.github.yototokenkeeper.token;

import io.github.yototokenkeeper.oauth.SafeMessage;

/**
 * The token server refused the refresh token for good ({@code invalid_grant}, {@code invalid_client},
 * {@code unauthorized_client}): nothing but a new login helps, so the keeper stops refreshing until one arrives.
 */
public class ReauthRequiredException extends RuntimeException implements SafeMessage {

    public ReauthRequiredException(String reason) {
        super(reason);
    }
}
