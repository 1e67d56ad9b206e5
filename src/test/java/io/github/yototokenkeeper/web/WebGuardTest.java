package io.github.yototokenkeeper.web;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WebGuardTest {

    private final Map<String, String> headers = new HashMap<>();
    private final WebGuard open = new WebGuard(Optional.empty());
    private final WebGuard locked = new WebGuard(Optional.of("correct horse"));

    private void check(WebGuard guard, String method) {
        guard.check(method, Set.of(method.equals("DELETE") ? "GET" : method), name -> headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst().orElse(null));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static org.assertj.core.api.ThrowableAssert.ThrowingCallable call(Runnable runnable) {
        return runnable::run;
    }

    @Test
    void withoutAPasswordEveryoneMayRead() {
        assertThatCode(call(() -> check(open, "GET"))).doesNotThrowAnyException();
    }

    @Test
    void withAPasswordOnlyAdminWithThatPasswordMayIn() {
        assertThatThrownBy(call(() -> check(locked, "GET"))).isInstanceOfSatisfying(HttpProblem.class, p -> {
            org.assertj.core.api.Assertions.assertThat(p.status()).isEqualTo(401);
            org.assertj.core.api.Assertions.assertThat(p.headers()).containsKey("WWW-Authenticate");
        });
        headers.put("Authorization", basic("admin", "wrong"));
        assertThatThrownBy(call(() -> check(locked, "GET"))).hasFieldOrPropertyWithValue("status", 401);
        headers.put("Authorization", basic("root", "correct horse"));
        assertThatThrownBy(call(() -> check(locked, "GET"))).hasFieldOrPropertyWithValue("status", 401);
        headers.put("Authorization", "Basic !!!not-base64");
        assertThatThrownBy(call(() -> check(locked, "GET"))).hasFieldOrPropertyWithValue("status", 401);
        headers.put("Authorization", basic("admin", "correct horse"));
        assertThatCode(call(() -> check(locked, "GET"))).doesNotThrowAnyException();
        headers.put("Authorization", basic("admin", "correct horse:with colon"));
        assertThatThrownBy(call(() -> check(locked, "GET"))).hasFieldOrPropertyWithValue("status", 401);
    }

    @Test
    void aWrongMethodIs405WithAllow() {
        assertThatThrownBy(call(() -> check(open, "DELETE"))).isInstanceOfSatisfying(HttpProblem.class, p -> {
            org.assertj.core.api.Assertions.assertThat(p.status()).isEqualTo(405);
            org.assertj.core.api.Assertions.assertThat(p.headers()).containsEntry("Allow", "GET");
        });
    }

    @Test
    void crossSitePostsAreRefusedBySecFetchSite() {
        headers.put("Sec-Fetch-Site", "cross-site");
        assertThatThrownBy(call(() -> check(open, "POST"))).hasFieldOrPropertyWithValue("status", 403);
        headers.put("Sec-Fetch-Site", "same-site");
        assertThatThrownBy(call(() -> check(open, "POST"))).hasFieldOrPropertyWithValue("status", 403);
        headers.put("Sec-Fetch-Site", "same-origin");
        headers.put("Origin", "https://evil.example"); // Sec-Fetch-Site is the browser's own word and wins
        assertThatCode(call(() -> check(open, "POST"))).doesNotThrowAnyException();
    }

    @Test
    void withoutSecFetchSiteTheOriginMustBeThisHost() {
        headers.put("Host", "keeper.up.railway.app");
        headers.put("Origin", "https://evil.example");
        assertThatThrownBy(call(() -> check(open, "POST"))).hasFieldOrPropertyWithValue("status", 403);
        headers.put("Origin", "null");
        assertThatThrownBy(call(() -> check(open, "POST"))).hasFieldOrPropertyWithValue("status", 403);
        headers.put("Origin", "https://keeper.up.railway.app");
        assertThatCode(call(() -> check(open, "POST"))).doesNotThrowAnyException();
        headers.put("Host", "10.0.0.5:8080");
        headers.put("X-Forwarded-Host", "keeper.up.railway.app");
        assertThatCode(call(() -> check(open, "POST"))).doesNotThrowAnyException();
    }

    @Test
    void scriptsWithoutBrowserHeadersMayPost() {
        assertThatCode(call(() -> check(open, "POST"))).doesNotThrowAnyException();
    }

    @Test
    void bodiesOverTheLimitAre413() {
        headers.put("Content-Length", "5000");
        assertThatThrownBy(call(() -> check(open, "POST"))).hasFieldOrPropertyWithValue("status", 413);
        headers.put("Content-Length", "10");
        assertThatCode(call(() -> check(open, "POST"))).doesNotThrowAnyException();
    }
}
