package io.github.yototokenkeeper.web;

import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Every failure of a web route becomes a JSON answer with a fitting status; nothing else (no stack trace) reaches the
 * client. One clause, whose answer {@link WebProblems} decides: Camel makes the clauses of a route configuration again
 * for each route it applies to, and six of them on eleven routes were a tenth of the start (issue 13).
 */
public class WebErrorHandling extends RouteConfigurationBuilder {

    public static final String ID = "yoto-keeper-web-error-handling";

    private final WebProblems problems;

    public WebErrorHandling(WebProblems problems) {
        this.problems = problems;
    }

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(Exception.class).handled(true)
                    .setBody(problems::answer)
                    .marshal(problems.jsonFormat())
                .end();
    }
}
