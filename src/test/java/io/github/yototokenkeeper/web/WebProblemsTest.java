package io.github.yototokenkeeper.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.yototokenkeeper.login.LoginNotConfiguredException;
import io.github.yototokenkeeper.login.LoginRefusedException;
import io.github.yototokenkeeper.token.TokenFileException;
import java.net.ConnectException;
import java.nio.file.AccessDeniedException;
import java.util.Map;
import org.apache.camel.RuntimeCamelException;
import org.junit.jupiter.api.Test;

/** Which answer each failure of a web route gets (the one error clause's decision), without a Camel context. */
class WebProblemsTest {

    @Test
    void aRefusalIsAnsweredAsItIs() {
        HttpProblem refusal = new HttpProblem(429, "too_many_attempts", "wait", Map.of("Retry-After", "60"));

        assertThat(WebProblems.problem(refusal, "/auth/refresh")).isSameAs(refusal);
        assertThat(WebProblems.problem(new RuntimeCamelException(refusal), "/auth/refresh")).isSameAs(refusal);
    }

    @Test
    void aTokenFileFailureIsAboutTheFileEvenWhenAnIoExceptionCausedIt() {
        TokenFileException failure = new TokenFileException("Cannot delete token file /data/.yoto_refresh_token: permission denied",
                new AccessDeniedException("/data/.yoto_refresh_token"));

        HttpProblem problem = WebProblems.problem(failure, "/auth/logout");

        assertThat(problem.status()).isEqualTo(500);
        assertThat(problem.code()).isEqualTo("token_file");
        assertThat(problem.getMessage()).isEqualTo(failure.getMessage());
    }

    @Test
    void loginProblemsSayWhatIsMissingOrWhoRefused() {
        assertThat(WebProblems.problem(new LoginNotConfiguredException("YOTO_CLIENT_ID is not set"), "/auth/device/start"))
                .extracting(HttpProblem::status, HttpProblem::code).containsExactly(503, "not_configured");
        HttpProblem refused = WebProblems.problem(new LoginRefusedException("the device-code endpoint answered HTTP 503"), "/auth/device/start");
        assertThat(refused.status()).isEqualTo(502);
        assertThat(refused.code()).isEqualTo("login_refused");
        assertThat(refused.getMessage()).contains("HTTP 503");
    }

    @Test
    void anUnreachableLoginServerIs502WhateverWrapsTheIoException() {
        HttpProblem problem = WebProblems.problem(new RuntimeCamelException(new ConnectException("Connection refused")), "/auth/device/start");

        assertThat(problem.status()).isEqualTo(502);
        assertThat(problem.code()).isEqualTo("login_server_unreachable");
        assertThat(problem.getMessage()).startsWith("cannot reach Yoto's login server");
    }

    @Test
    void anythingElseSaysLittleToTheClient() {
        HttpProblem problem = WebProblems.problem(new IllegalStateException("internal detail"), "/auth/status");

        assertThat(problem.status()).isEqualTo(500);
        assertThat(problem.code()).isEqualTo("internal_error");
        assertThat(problem.getMessage()).doesNotContain("internal detail");
    }
}
