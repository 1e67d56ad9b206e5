package io.github.yototokenkeeper.token;

import io.github.yototokenkeeper.oauth.SafeMessage;

/** The token file could not be read or written; the message names the path and what to do. Never holds a token. */
public class TokenFileException extends Exception implements SafeMessage {

    public TokenFileException(String message, Throwable cause) {
        super(message, cause);
    }

    public TokenFileException(String message) {
        super(message);
    }
}
