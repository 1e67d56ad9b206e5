package io.github.yototokenkeeper.api;

import io.github.yototokenkeeper.token.TokenSession;
import io.github.yototokenkeeper.web.HttpProblem;
import io.github.yototokenkeeper.web.WebAnswers;
import io.github.yototokenkeeper.web.WebProblems;
import java.io.IOException;
import java.util.Map;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;

/**
 * Every failure of a program API route becomes a JSON answer {@code {"error", "message"}} with a fitting status, and
 * its audit line; nothing else (no stack trace, no token) reaches the client or the log.
 */
public class ApiErrorHandling extends RouteConfigurationBuilder {

    public static final String ID = "yoto-keeper-api-error-handling";

    private final WebAnswers answers;
    private final ProgramApi api;

    public ApiErrorHandling(WebAnswers answers, ProgramApi api) {
        this.answers = answers;
        this.api = api;
    }

    @Override
    public void configuration() {
        RouteConfigurationDefinition routes = routeConfiguration(ID);
        // the guard's refusals and the hand-out's 503: each with its own status, reason and headers
        answer(routes.onException(HttpProblem.class), this::refusal);
        answer(routes.onException(IOException.class)
                .log(LoggingLevel.WARN, TokenSession.LOG_NAME, "The Yoto API could not be reached: ${exception.class.simpleName}"), this::unreachable);
        answer(routes.onException(Exception.class)
                .log(LoggingLevel.WARN, TokenSession.LOG_NAME, "A program API request failed: ${exception.class.name}"), this::internalError);
    }

    private void answer(OnExceptionDefinition clause, Function<Exchange, Map<String, Object>> problem) {
        clause.handled(true)
                .setBody(problem)
                .marshal(answers.jsonFormat())
                .process(api::audit)
                .end();
    }

    public Map<String, Object> refusal(Exchange exchange) {
        HttpProblem problem = WebProblems.caught(exchange, HttpProblem.class);
        return answers.problem(exchange, problem.status(), problem.code(), problem.getMessage(), problem.headers());
    }

    public Map<String, Object> unreachable(Exchange exchange) {
        return answers.problem(exchange, 502, "yoto_unreachable", "the Yoto API did not answer (timeout or connection failure)", Map.of());
    }

    public Map<String, Object> internalError(Exchange exchange) {
        return answers.problem(exchange, 500, "internal_error", "the keeper could not handle this request; its log says why", Map.of());
    }
}
