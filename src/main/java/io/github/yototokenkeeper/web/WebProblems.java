package io.github.yototokenkeeper.web;

import io.github.yototokenkeeper.oauth.FailureReasons;
import io.github.yototokenkeeper.token.TokenSession;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.util.ObjectHelper;
import org.apache.camel.spi.DataFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON answer of each kind of failure, for {@link WebErrorHandling}'s clauses: each reads the exception its clause
 * caught (or the one in its cause chain the clause matched).
 */
public final class WebProblems {

    private static final Logger LOG = LoggerFactory.getLogger(TokenSession.LOG_NAME);

    private final WebAnswers answers;

    public WebProblems(WebAnswers answers) {
        this.answers = answers;
    }

    /** The web answers' JSON data format, for the error clauses. */
    public DataFormat jsonFormat() {
        return answers.jsonFormat();
    }

    /** A refusal of the guard or a step: its own status, reason and headers. */
    public Map<String, Object> refusal(Exchange exchange) {
        HttpProblem problem = caught(exchange, HttpProblem.class);
        return answers.problem(exchange, problem.status(), problem.code(), problem.getMessage(), problem.headers());
    }

    /** A login cannot start without a client id: the keeper is not set up for it. */
    public Map<String, Object> notConfigured(Exchange exchange) {
        return answers.problem(exchange, 503, "not_configured", caught(exchange, Exception.class).getMessage(), Map.of());
    }

    /** Yoto's login server refused to start a login. */
    public Map<String, Object> loginRefused(Exchange exchange) {
        return answers.problem(exchange, 502, "login_refused", "Yoto's login server refused to start a login: "
                + caught(exchange, Exception.class).getMessage(), Map.of());
    }

    /** Yoto's login server did not answer. */
    public Map<String, Object> loginServerUnreachable(Exchange exchange) {
        String message = "cannot reach Yoto's login server: " + FailureReasons.describe(caught(exchange, Exception.class), 0);
        LOG.warn("Login could not start: {}", message);
        return answers.problem(exchange, 502, "login_server_unreachable", message, Map.of());
    }

    /** The token file could not be read, written or deleted: the message names the path and what to do. */
    public Map<String, Object> tokenFile(Exchange exchange) {
        return answers.problem(exchange, 500, "token_file", caught(exchange, Exception.class).getMessage(), Map.of());
    }

    /** Anything else: little said to the client, the log (written by the clause) says why. */
    public Map<String, Object> internalError(Exchange exchange) {
        return answers.problem(exchange, 500, "internal_error", "the keeper could not handle this request; its log says why", Map.of());
    }

    /** The exception the error handler caught, or the one of this type in its cause chain (what the clause matched). */
    public static <T extends Throwable> T caught(Exchange exchange, Class<T> type) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        T matched = ObjectHelper.getException(type, failure);
        return matched != null ? matched : type.cast(failure);
    }
}
