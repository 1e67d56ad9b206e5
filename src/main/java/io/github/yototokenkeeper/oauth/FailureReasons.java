package io.github.yototokenkeeper.oauth;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Set;

/**
 * Turns what went wrong into one short, safe sentence for logs and the status page. Text that came from a server is
 * cut short and stripped of control characters; library messages that may quote a response body (Jackson's) are not
 * used at all.
 */
public final class FailureReasons {

    /** RFC 6749 §5.2 errors after which retrying with the same refresh token cannot help. */
    public static final Set<String> PERMANENT_ERRORS = Set.of("invalid_grant", "invalid_client", "unauthorized_client");
    private static final int MAX_SERVER_TEXT = 200;

    private FailureReasons() {
    }

    public static String describe(Throwable failure, int httpStatus) {
        Throwable cause = rootCauseOfInterest(failure);
        if (cause instanceof SafeMessage) {
            return cause.getMessage();
        }
        if (cause instanceof JsonProcessingException) {
            return "the token endpoint's answer" + (httpStatus > 0 ? " (HTTP " + httpStatus + ")" : "") + " is not the JSON of a token response";
        }
        if (cause instanceof SocketTimeoutException || cause.getClass().getSimpleName().contains("Timeout")) {
            return "the token endpoint did not answer in time (" + cause.getClass().getSimpleName() + ")";
        }
        if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
            return "cannot connect to the token endpoint: " + serverText(cause.getMessage());
        }
        if (cause instanceof UnknownHostException) {
            return "unknown host " + serverText(cause.getMessage()) + " (no network, or a wrong YOTO_TOKEN_URL?)";
        }
        return cause.getClass().getSimpleName() + ": " + serverText(cause.getMessage());
    }

    /** A server's {@code error} and {@code error_description}, as one safe phrase. */
    public static String serverError(int httpStatus, String error, String description) {
        StringBuilder text = new StringBuilder("the token endpoint answered HTTP ").append(httpStatus);
        if (error != null) {
            text.append(' ').append(serverText(error));
        }
        if (description != null && !description.isBlank()) {
            text.append(" (").append(serverText(description)).append(')');
        }
        return text.toString();
    }

    /** Text that came from outside: no control characters, no line breaks, not too long. */
    public static String serverText(String text) {
        if (text == null) {
            return "";
        }
        String clean = text.replaceAll("\\p{Cntrl}", " ").strip();
        return clean.length() > MAX_SERVER_TEXT ? clean.substring(0, MAX_SERVER_TEXT) + "..." : clean;
    }

    private static Throwable rootCauseOfInterest(Throwable failure) {
        Throwable current = failure;
        while (current.getCause() != null && current.getCause() != current
                && !(current instanceof SafeMessage || current instanceof JsonProcessingException)) {
            current = current.getCause();
        }
        return current;
    }
}
