package io.github.yototokenkeeper.web;

import io.github.yototokenkeeper.login.BrowserLoginException;
import io.github.yototokenkeeper.token.TokenSession;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;

/**
 * The sign-in callback is a page a person lands on from Yoto's site, so each of its failures becomes a page (not JSON)
 * that says what went wrong; one clause per kind of failure, the answers {@link SignInProblems}'. (A token file the disk
 * refuses is no failure here: the session keeps the login in memory, says so and writes it again, as after a refresh.)
 */
public class SignInErrorHandling extends RouteConfigurationBuilder {

    public static final String ID = "yoto-keeper-sign-in-error-handling";

    private final SignInProblems problems;

    public SignInErrorHandling(SignInProblems problems) {
        this.problems = problems;
    }

    @Override
    public void configuration() {
        RouteConfigurationDefinition signIn = routeConfiguration(ID);
        answer(signIn.onException(BrowserLoginException.class), problems::refused);
        answer(signIn.onException(HttpProblem.class), problems::refusedRequest);
        answer(signIn.onException(Exception.class)
                .log(LoggingLevel.WARN, TokenSession.LOG_NAME, "Sign-in callback failed: ${exception.class.simpleName}"), problems::failed);
    }

    private void answer(OnExceptionDefinition clause, Processor problem) {
        clause.handled(true).process(problem).end();
    }
}
