package io.github.yototokenkeeper.login;

import io.github.yototokenkeeper.oauth.SafeMessage;

/**
 * A browser sign-in that did not complete, and why, in one sentence for the person who tried (never a code, a state or
 * a token): {@code status} 400 for what the browser brought, 502 for what Yoto's server did. Nothing was saved.
 */
public class BrowserLoginException extends RuntimeException implements SafeMessage {

    private final int status;
    private final String code;

    public BrowserLoginException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
