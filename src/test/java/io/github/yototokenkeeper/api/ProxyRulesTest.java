package io.github.yototokenkeeper.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.yototokenkeeper.web.HttpProblem;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which URL a proxied call goes to, and which headers pass, both ways. */
class ProxyRulesTest {

    private final ProxyRules rules = new ProxyRules(URI.create("https://api.example/v1/"));

    @Test
    void thePathAndQueryGoBelowTheApiUrl() {
        assertThat(rules.target("", "/api/yoto/card/family/library")).isEqualTo("https://api.example/v1/card/family/library");
        assertThat(rules.target("/yoto-keeper", "/yoto-keeper/api/yoto/content/x%20y?a=1&b=%2F&httpMethod=DELETE"))
                .isEqualTo("https://api.example/v1/content/x%20y?a=1&b=%2F&httpMethod=DELETE");
    }

    @Test
    void charactersNeverRawInAUriAreEncodedSoNoPlaceholderReachesCamel() {
        assertThat(rules.target("", "/api/yoto/x?a={{yoto.keeper.api-keys}}&b={{env:HOME}}"))
                .isEqualTo("https://api.example/v1/x?a=%7B%7Byoto.keeper.api-keys%7D%7D&b=%7B%7Benv:HOME%7D%7D");
        assertThat(rules.target("", "/api/yoto/{{yoto.keeper.password}}/y?q=a|b^c`d\"e<f>g\\h i"))
                .isEqualTo("https://api.example/v1/%7B%7Byoto.keeper.password%7D%7D/y?q=a%7Cb%5Ec%60d%22e%3Cf%3Eg%5Ch%20i");
        assertThat(rules.target("", "/api/yoto/x?a=%7B%7Bkept%7D%7D")).as("already encoded stays as sent")
                .isEqualTo("https://api.example/v1/x?a=%7B%7Bkept%7D%7D");
    }

    @Test
    void nothingLeavesTheApiUrlsPath() {
        for (String target : List.of("/api/yoto/../x", "/api/yoto/%2e%2e/x", "/api/yoto/a/%2E/b", "/api/yoto/..%2Fx",
                "/api/yoto/a%5C..", "/api/yoto/a/..", "/api/yoto/%zz", "/api/yoto/a?b#c", "/api/yoto/a\tb")) {
            assertThatThrownBy(() -> rules.target("", target)).as(target).isInstanceOfSatisfying(HttpProblem.class,
                    p -> assertThat(p.status()).isEqualTo(400));
        }
        for (String target : List.of("/api/yoto", "/api/yoto/", "/api/yotox/card")) {
            assertThatThrownBy(() -> rules.target("", target)).as(target).isInstanceOfSatisfying(HttpProblem.class,
                    p -> assertThat(p.status()).isEqualTo(404));
        }
    }

    @Test
    void hopByHopHeadersCredentialsAndCookiesNeverReachYoto() {
        List<Map.Entry<String, String>> sent = List.of(
                Map.entry("Content-Type", "application/json"), Map.entry("Accept", "application/json"),
                Map.entry("X-Custom", "kept"), Map.entry("Connection", "keep-alive, X-Secret-Hop"), Map.entry("X-Secret-Hop", "no"),
                Map.entry("Keep-Alive", "timeout=5"), Map.entry("TE", "trailers"), Map.entry("Trailer", "X"),
                Map.entry("Transfer-Encoding", "chunked"), Map.entry("Upgrade", "h2c"), Map.entry("Proxy-Authorization", "Basic x"),
                Map.entry("Proxy-Authenticate", "x"), Map.entry("Authorization", "Bearer program-key"), Map.entry("Cookie", "a=b"),
                Map.entry("Host", "keeper"), Map.entry("Content-Length", "3"), Map.entry("CamelHttpUri", "http://evil"),
                Map.entry("X-Forwarded-For", "1.2.3.4"), Map.entry("Accept-Encoding", "br, zstd"));
        assertThat(ProxyRules.toYoto(sent)).extracting(Map.Entry::getKey).containsExactly("Content-Type", "Accept", "X-Custom");
    }

    @Test
    void onlyAnAllowlistOfYotosAnswerHeadersReachesTheClient() {
        List<Map.Entry<String, String>> answered = List.of(
                Map.entry("Content-Type", "application/json"), Map.entry("ETag", "\"1\""), Map.entry("Set-Cookie", "s=1"),
                Map.entry("set-cookie", "t=2"), Map.entry("Connection", "close, X-Hop, Last-Modified"), Map.entry("X-Hop", "no"),
                Map.entry("Last-Modified", "hop"), Map.entry("Transfer-Encoding", "chunked"), Map.entry("Content-Encoding", "gzip"),
                Map.entry("CamelHttpResponseCode", "200"), Map.entry("Access-Control-Allow-Origin", "*"),
                Map.entry("Access-Control-Allow-Credentials", "true"), Map.entry("Strict-Transport-Security", "max-age=31536000"),
                Map.entry("Alt-Svc", "h3=\":443\""), Map.entry("WWW-Authenticate", "Bearer"), Map.entry("Location", "https://evil.example/"),
                Map.entry("Content-Security-Policy", "default-src *"), Map.entry("X-Yoto", "x"), Map.entry("Retry-After", "7"),
                Map.entry("X-RateLimit-Remaining", "3"), Map.entry("RateLimit-Policy", "10;w=1"), Map.entry("Content-Language", "en"),
                Map.entry("Content-Length", "12"));
        assertThat(ProxyRules.toClient(answered)).extracting(Map.Entry::getKey).containsExactly("Content-Type", "ETag", "Retry-After",
                "X-RateLimit-Remaining", "RateLimit-Policy", "Content-Language");
    }

    @Test
    void onlyTheUsualMethodsAreForwarded() {
        assertThat(ProxyRules.method("PATCH")).isEqualTo("PATCH");
        assertThatThrownBy(() -> ProxyRules.method("TRACE")).isInstanceOfSatisfying(HttpProblem.class, p -> assertThat(p.status()).isEqualTo(405));
    }
}
