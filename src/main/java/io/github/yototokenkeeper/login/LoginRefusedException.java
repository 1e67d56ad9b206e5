package io.github.yototokenkeeper.login;

/** The device authorization endpoint refused to start a login, or answered something unusable; says why. */
public class LoginRefusedException extends RuntimeException {

    public LoginRefusedException(String message) {
        super(message);
    }
}
