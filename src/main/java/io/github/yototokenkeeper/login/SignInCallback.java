package io.github.yototokenkeeper.login;

/**
 * What Yoto's login page sent the browser back with (RFC 6749 §4.1.2): the code and the state, or an error; and the
 * cookie that ties the sign-in to the browser that started it. Any of them may be absent. Never shows the code.
 */
public record SignInCallback(String code, String state, String error, String errorDescription, String browserCookie) {

    @Override
    public String toString() {
        return "SignInCallback[code " + (code == null ? "absent" : "present") + ", error=" + error + "]";
    }
}
