package io.github.yototokenkeeper.web;

import io.github.yototokenkeeper.login.LoginNotConfiguredException;
import io.github.yototokenkeeper.login.LoginRefusedException;
import io.github.yototokenkeeper.token.TokenFileException;
import io.github.yototokenkeeper.token.TokenSession;
import java.io.IOException;
import java.util.Map;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;

/**
 * Every failure of a web route becomes a JSON answer with a fitting status, one clause per kind of failure; nothing
 * else (no stack trace) reaches the client. The answers are {@link WebProblems}'.
 */
public class WebErrorHandling extends RouteConfigurationBuilder {

    public static final String ID = "yoto-keeper-web-error-handling";

    private final WebProblems problems;

    public WebErrorHandling(WebProblems problems) {
        this.problems = problems;
    }

    @Override
    public void configuration() {
        // one statement per clause (see RefreshErrorHandling: chained clauses nest)
        RouteConfigurationDefinition web = routeConfiguration(ID);
        // the guard's refusals: 401, 403, 404, 405, 409, 411, 413, 421, 429, each with its reason
        answer(web.onException(HttpProblem.class), problems::refusal);
        answer(web.onException(LoginNotConfiguredException.class), problems::notConfigured);
        answer(web.onException(LoginRefusedException.class)
                .log(LoggingLevel.WARN, TokenSession.LOG_NAME, "Login could not start: ${exception.message}"), problems::loginRefused);
        answer(web.onException(IOException.class), problems::loginServerUnreachable);
        answer(web.onException(TokenFileException.class).log(LoggingLevel.ERROR, TokenSession.LOG_NAME, "${exception.message}"),
                problems::tokenFile);
        answer(web.onException(Exception.class)
                .log(LoggingLevel.WARN, TokenSession.LOG_NAME, "Request to ${header.CamelHttpPath} failed: ${exception}"), problems::internalError);
    }

    private void answer(OnExceptionDefinition clause, Function<Exchange, Map<String, Object>> problem) {
        clause.handled(true)
                .setBody(problem)
                .marshal(problems.jsonFormat())
                .end();
    }
}
