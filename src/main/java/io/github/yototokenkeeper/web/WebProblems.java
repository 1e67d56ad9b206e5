package io.github.yototokenkeeper.web;

import io.github.yototokenkeeper.login.LoginNotConfiguredException;
import io.github.yototokenkeeper.login.LoginRefusedException;
import io.github.yototokenkeeper.oauth.FailureReasons;
import io.github.yototokenkeeper.token.TokenFileException;
import io.github.yototokenkeeper.token.TokenSession;
import java.io.IOException;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.spi.DataFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON answer of a failed web request, for {@link WebErrorHandling}'s one clause: which answer a failure gets is
 * decided here, from the exception or one in its causes, the keeper's own kinds first (a token file failure caused by
 * an IOException is about the file, not about Yoto's server). Logs what the operator must know, never a stack trace.
 */
public final class WebProblems {

    private static final Logger LOG = LoggerFactory.getLogger(TokenSession.LOG_NAME);

    private final WebAnswers answers;

    public WebProblems(WebAnswers answers) {
        this.answers = answers;
    }

    /** The web answers' JSON data format, for the error clause. */
    public DataFormat jsonFormat() {
        return answers.jsonFormat();
    }

    /** The answer to the request whose failure the error handler caught: status and headers set, the JSON body returned. */
    public Map<String, Object> answer(Exchange exchange) {
        HttpProblem problem = problem(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class),
                exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class));
        return answers.problem(exchange, problem.status(), problem.code(), problem.getMessage(), problem.headers());
    }

    /**
     * What a failure means to the client, as the refusal to answer with:
     * a refusal of the guard or a step as it is; a token file that cannot be read, written or deleted 500 (the message
     * names the path and what to do); a login without a client id 503; Yoto's login server refusing to start a login,
     * or not answering, 502; anything else 500, little said to the client and the log says why.
     */
    static HttpProblem problem(Throwable failure, String path) {
        HttpProblem refusal = cause(HttpProblem.class, failure);
        if (refusal != null) {
            return refusal;
        }
        TokenFileException tokenFile = cause(TokenFileException.class, failure);
        if (tokenFile != null) {
            LOG.error("{}", tokenFile.getMessage());
            return new HttpProblem(500, "token_file", tokenFile.getMessage());
        }
        LoginNotConfiguredException notConfigured = cause(LoginNotConfiguredException.class, failure);
        if (notConfigured != null) {
            return new HttpProblem(503, "not_configured", notConfigured.getMessage());
        }
        LoginRefusedException refused = cause(LoginRefusedException.class, failure);
        if (refused != null) {
            LOG.warn("Login could not start: {}", refused.getMessage());
            return new HttpProblem(502, "login_refused", "Yoto's login server refused to start a login: " + refused.getMessage());
        }
        if (cause(IOException.class, failure) != null) {
            String message = "cannot reach Yoto's login server: " + FailureReasons.describe(failure, 0);
            LOG.warn("Login could not start: {}", message);
            return new HttpProblem(502, "login_server_unreachable", message);
        }
        LOG.warn("Request to {} failed: {}", path, String.valueOf(failure)); // the text only: no stack trace
        return new HttpProblem(500, "internal_error", "the keeper could not handle this request; its log says why");
    }

    /** The exception the error handler caught, or the one of this type in its cause chain (what the clause matched). */
    public static <T extends Throwable> T caught(Exchange exchange, Class<T> type) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        T matched = cause(type, failure);
        return matched != null ? matched : type.cast(failure);
    }

    /** The first exception of this type in the cause chain, from the top (suppressed exceptions are not looked at, as Camel does not). */
    static <T extends Throwable> T cause(Class<T> type, Throwable failure) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < 64; depth++, current = current.getCause()) { // a cycle ends too
            if (type.isInstance(current)) {
                return type.cast(current);
            }
        }
        return null;
    }
}
