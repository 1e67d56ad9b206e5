package io.github.yototokenkeeper.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.yototokenkeeper.config.WebAccess;
import io.github.yototokenkeeper.support.CapturedLogs;
import io.github.yototokenkeeper.support.HandClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class WebGuardTest {

    private final Map<String, String> headers = new HashMap<>();
    private String clientAddress = "203.0.113.7";
    private final HandClock clock = new HandClock(Instant.parse("2026-11-30T12:00:00Z"));
    private final WebGuard open = new WebGuard(WebAccess.OPEN, Optional.empty(), List.of("keeper.up.railway.app"), clock);
    private final WebGuard withPassword = new WebGuard(WebAccess.PASSWORD, Optional.of("correct horse battery"), List.of(), clock);
    private final WebGuard locked = new WebGuard(WebAccess.LOCKED, Optional.empty(), List.of(), clock);

    private void check(WebGuard guard, String method) {
        guard.check(request(method), Set.of(method.equals("DELETE") ? "GET" : method));
    }

    private WebRequest request(String method) {
        return new WebRequest() {
            @Override
            public String method() {
                return method;
            }

            @Override
            public String header(String name) {
                return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                        .findFirst().orElse(null);
            }

            @Override
            public String clientAddress() {
                return clientAddress;
            }
        };
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static ThrowingCallable call(Runnable runnable) {
        return runnable::run;
    }

    @Test
    void withoutAPasswordOnLoopbackEveryoneMayRead() {
        assertThatCode(call(() -> check(open, "GET"))).doesNotThrowAnyException();
    }

    @Test
    void withAPasswordOnlyAdminWithThatPasswordMayIn() {
        assertThatThrownBy(call(() -> check(withPassword, "GET"))).isInstanceOfSatisfying(HttpProblem.class, p -> {
            assertThat(p.status()).isEqualTo(401);
            assertThat(p.headers()).containsKey("WWW-Authenticate");
        });
        headers.put("Authorization", basic("admin", "wrong"));
        assertThatThrownBy(call(() -> check(withPassword, "GET"))).hasFieldOrPropertyWithValue("status", 401);
        headers.put("Authorization", basic("root", "correct horse battery"));
        assertThatThrownBy(call(() -> check(withPassword, "GET"))).hasFieldOrPropertyWithValue("status", 401);
        headers.put("Authorization", "Basic !!!not-base64");
        assertThatThrownBy(call(() -> check(withPassword, "GET"))).hasFieldOrPropertyWithValue("status", 401);
        headers.put("Authorization", basic("admin", "correct horse battery"));
        assertThatCode(call(() -> check(withPassword, "GET"))).doesNotThrowAnyException();
        headers.put("Authorization", basic("admin", "correct horse battery:with colon"));
        assertThatThrownBy(call(() -> check(withPassword, "GET"))).hasFieldOrPropertyWithValue("status", 401);
    }

    @Test
    void aLockedKeeperRefusesEverythingWith403SayingHowToSetAPassword() {
        headers.put("Host", "127.0.0.1:8080");
        for (String method : new String[] {"GET", "POST"}) {
            assertThatThrownBy(call(() -> check(locked, method))).isInstanceOfSatisfying(HttpProblem.class, p -> {
                assertThat(p.status()).isEqualTo(403);
                assertThat(p.code()).isEqualTo("password_required");
                assertThat(p.getMessage()).contains("KEEPER_PASSWORD").contains("HOST=127.0.0.1").contains("KEEPER_AUTH=none");
            });
        }
        assertThat(locked.locked()).isTrue();
        assertThat(open.locked()).isFalse();
    }

    /** The callback comes from Yoto's site with no password: the state and its cookie are its proof (BrowserLoginTest). */
    @Test
    void theSignInCallbackAsksNoPasswordButALockedKeeperRefusesItAndAnOpenOneChecksTheHost() {
        headers.put("Host", "keeper.example.com");
        headers.put("Sec-Fetch-Site", "cross-site");
        withPassword.checkCallback(request("GET"));
        assertThatThrownBy(call(() -> locked.checkCallback(request("GET"))))
                .isInstanceOfSatisfying(HttpProblem.class, p -> assertThat(p.status()).isEqualTo(403));
        assertThatThrownBy(call(() -> open.checkCallback(request("GET"))))
                .isInstanceOfSatisfying(HttpProblem.class, p -> assertThat(p.status()).isEqualTo(421));
        headers.put("Host", "keeper.up.railway.app");
        open.checkCallback(request("GET"));
        assertThatThrownBy(call(() -> withPassword.checkCallback(request("POST"))))
                .isInstanceOfSatisfying(HttpProblem.class, p -> assertThat(p.status()).isEqualTo(405));
    }

    @Test
    void withoutAPasswordOnlyTheKeepersOwnHostNamesAreAnswered() {
        for (String ours : new String[] {"localhost:8080", "LOCALHOST", "127.0.0.1:8080", "[::1]:8080", "192.168.1.20:8080",
                "keeper.up.railway.app", "Keeper.Up.Railway.App.", "app.localhost:8080"}) {
            headers.put("Host", ours);
            assertThatCode(call(() -> check(open, "GET"))).as(ours).doesNotThrowAnyException();
        }
        for (String foreign : new String[] {"evil.test:8080", "evil.test", "localhost.evil.test", "127.0.0.1.evil.test",
                "keeper.up.railway.app.evil.test"}) {
            headers.put("Host", foreign);
            assertThatThrownBy(call(() -> check(open, "GET"))).as(foreign).isInstanceOfSatisfying(HttpProblem.class, p -> {
                assertThat(p.status()).isEqualTo(421);
                assertThat(p.getMessage()).contains("KEEPER_ALLOWED_HOSTS");
            });
        }
    }

    @Test
    void aRebindingPageWithItsOwnOriginIsRefusedEvenForPosts() {
        headers.put("Host", "evil.test:8080");
        headers.put("Origin", "http://evil.test:8080");
        headers.put("Sec-Fetch-Site", "same-origin");
        assertThatThrownBy(call(() -> check(open, "POST"))).hasFieldOrPropertyWithValue("status", 421);
    }

    @Test
    void tenWrongPasswordsFromOneAddressLockItOutForAMinuteEvenWithTheRightOne() {
        int mark = CapturedLogs.mark();
        headers.put("Authorization", basic("admin", "guess-" + "s3cr3tT0k"));
        for (int i = 1; i <= PasswordAttempts.MAX_FAILURES; i++) {
            assertThatThrownBy(call(() -> check(withPassword, "GET"))).as("guess " + i).hasFieldOrPropertyWithValue("status", 401);
        }
        headers.put("Authorization", basic("admin", "correct horse battery"));
        assertThatThrownBy(call(() -> check(withPassword, "GET"))).isInstanceOfSatisfying(HttpProblem.class, p -> {
            assertThat(p.status()).isEqualTo(429);
            assertThat(p.headers()).containsEntry("Retry-After", "60");
        });
        clientAddress = "198.51.100.9"; // another address is not affected
        assertThatCode(call(() -> check(withPassword, "GET"))).doesNotThrowAnyException();

        clientAddress = "203.0.113.7";
        clock.advance(Duration.ofSeconds(30));
        assertThatThrownBy(call(() -> check(withPassword, "GET"))).isInstanceOfSatisfying(HttpProblem.class,
                p -> assertThat(p.headers()).containsEntry("Retry-After", "30"));
        clock.advance(Duration.ofSeconds(30));
        assertThatCode(call(() -> check(withPassword, "GET"))).as("a minute later").doesNotThrowAnyException();

        assertThat(CapturedLogs.since(mark)).filteredOn(line -> line.text().contains("wrong passwords")).singleElement()
                .satisfies(line -> assertThat(line.text()).contains("203.0.113.7").doesNotContain("s3cr3tT0k").doesNotContain("guess"));
    }

    @Test
    void requestsWithoutCredentialsAreNotGuessesAndFailuresOutsideTheWindowDoNotAddUp() {
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(call(() -> check(withPassword, "GET"))).hasFieldOrPropertyWithValue("status", 401);
        }
        headers.put("Authorization", basic("admin", "wrong"));
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(call(() -> check(withPassword, "GET"))).hasFieldOrPropertyWithValue("status", 401);
            clock.advance(PasswordAttempts.WINDOW.dividedBy(PasswordAttempts.MAX_FAILURES - 1).plusMillis(1));
        }
    }

    @Test
    void theRightPasswordClearsTheAddressesEarlierMistakes() {
        headers.put("Authorization", basic("admin", "wrong"));
        for (int i = 1; i < PasswordAttempts.MAX_FAILURES; i++) {
            assertThatThrownBy(call(() -> check(withPassword, "GET"))).hasFieldOrPropertyWithValue("status", 401);
        }
        headers.put("Authorization", basic("admin", "correct horse battery"));
        assertThatCode(call(() -> check(withPassword, "GET"))).doesNotThrowAnyException();
        headers.put("Authorization", basic("admin", "wrong"));
        assertThatThrownBy(call(() -> check(withPassword, "GET"))).hasFieldOrPropertyWithValue("status", 401);
    }

    @Test
    void aWrongMethodIs405WithAllow() {
        assertThatThrownBy(call(() -> check(open, "DELETE"))).isInstanceOfSatisfying(HttpProblem.class, p -> {
            assertThat(p.status()).isEqualTo(405);
            assertThat(p.headers()).containsEntry("Allow", "GET");
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
    void bodiesOverTheLimitAre413AndBodiesOfUnknownLength411() {
        headers.put("Content-Length", "5000");
        assertThatThrownBy(call(() -> check(open, "POST"))).hasFieldOrPropertyWithValue("status", 413);
        headers.put("Content-Length", "10");
        assertThatCode(call(() -> check(open, "POST"))).doesNotThrowAnyException();
        headers.remove("Content-Length");
        headers.put("Transfer-Encoding", "chunked");
        assertThatThrownBy(call(() -> check(open, "POST"))).hasFieldOrPropertyWithValue("status", 411);
    }

    @Test
    void theClientAddressIsTheConnectionsUnlessAPrivateProxyForwardedIt() {
        assertThat(ClientAddress.of("203.0.113.7", "198.51.100.1")).as("a public peer: its header is not trusted").isEqualTo("203.0.113.7");
        assertThat(ClientAddress.of("10.0.0.3", "198.51.100.1")).isEqualTo("198.51.100.1");
        assertThat(ClientAddress.of("10.0.0.3", "1.2.3.4, 198.51.100.1, 10.0.0.2")).as("forged entries are left of the proxy's")
                .isEqualTo("198.51.100.1");
        assertThat(ClientAddress.of("127.0.0.1", "198.51.100.1:1234")).as("not an address: nothing left of it is trusted")
                .isEqualTo("127.0.0.1");
        assertThat(ClientAddress.of("127.0.0.1", null)).isEqualTo("127.0.0.1");
        assertThat(ClientAddress.of("fd12::1", "2001:db8::7")).isEqualTo("2001:db8::7");
        assertThat(ClientAddress.of(null, "1.2.3.4")).isEqualTo("unknown");
    }
}
