package io.github.yototokenkeeper.token;

/** The token file could not be read or written; the message names the path and what to do. Never holds a token. */
public class TokenFileException extends Exception {

    public TokenFileException(String message, Throwable cause) {
        super(message, cause);
    }

    public TokenFileException(String message) {
        super(message);
    }
}
