package io.github.yototokenkeeper.web;

import io.github.yototokenkeeper.login.BrowserLoginException;
import io.github.yototokenkeeper.login.BrowserLoginFlow;
import java.net.URI;
import org.apache.camel.Exchange;

/**
 * The page of a sign-in that did not complete, for {@link SignInErrorHandling}'s clauses: what went wrong, that nothing
 * was saved, and the way back to the keeper's page. It shows nothing of the session: the callback asks no password.
 */
public final class SignInProblems {

    private final LoginPage page;
    private final URI callback;

    public SignInProblems(LoginPage page, URI callback) {
        this.page = page;
        this.callback = callback;
    }

    /** The sign-in itself failed: the state, the cookie, Yoto's answer. */
    public void refused(Exchange exchange) {
        BrowserLoginException failure = WebProblems.caught(exchange, BrowserLoginException.class);
        answer(exchange, failure.status(), failure.getMessage());
    }

    /** The callback request was refused before the sign-in was looked at (locked keeper, unknown host, method). */
    public void refusedRequest(Exchange exchange) {
        HttpProblem problem = WebProblems.caught(exchange, HttpProblem.class);
        answer(exchange, problem.status(), problem.getMessage());
    }

    public void failed(Exchange exchange) {
        answer(exchange, 500, "The keeper could not finish the sign-in; its log says why. Nothing was saved.");
    }

    private void answer(Exchange exchange, int status, String message) {
        String nonce = WebActions.nonce();
        WebAnswers.start(exchange, "text/html; charset=utf-8");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader("Content-Security-Policy", WebActions.contentSecurityPolicy(nonce, ""));
        if (Boolean.TRUE.equals(exchange.getProperty(BrowserLoginFlow.CLAIMED, Boolean.class))) {
            // this browser's sign-in is over; a callback that was not its own (a link anyone can make) leaves it be
            exchange.getMessage().setHeader("Set-Cookie", SignInCookie.cleared(callback));
        }
        exchange.getMessage().setBody(page.page(nonce, page.signInProblem(message), false));
    }
}
