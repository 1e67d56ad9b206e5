package io.github.yototokenkeeper.web;

import java.util.Map;

/** A request our HTTP routes refuse: answered as JSON {@code {"error": code, "message": ...}} with this status. */
public class HttpProblem extends RuntimeException {

    private final int status;
    private final String code;
    private final transient Map<String, String> headers;

    public HttpProblem(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public HttpProblem(int status, String code, String message, Map<String, String> headers) {
        super(message, null, false, false); // a refusal, not a fault: no stack trace to fill or print
        this.status = status;
        this.code = code;
        this.headers = headers;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
