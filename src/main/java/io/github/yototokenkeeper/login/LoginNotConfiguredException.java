package io.github.yototokenkeeper.login;

/** A login cannot start because the keeper lacks a setting (the client id). */
public class LoginNotConfiguredException extends RuntimeException {

    public LoginNotConfiguredException(String message) {
        super(message);
    }
}
