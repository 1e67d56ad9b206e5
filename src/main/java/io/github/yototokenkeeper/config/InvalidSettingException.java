package io.github.yototokenkeeper.config;

/** A setting has a value the keeper cannot run with; the message names the variable, the value and what is allowed. */
public class InvalidSettingException extends IllegalArgumentException {

    public InvalidSettingException(String message) {
        super(message);
    }
}
