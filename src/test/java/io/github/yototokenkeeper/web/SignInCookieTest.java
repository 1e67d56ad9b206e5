package io.github.yototokenkeeper.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SignInCookieTest {

    private static final URI HTTPS = URI.create("https://keeper.up.railway.app/auth/callback");
    private static final URI LOCAL = URI.create("http://127.0.0.1:8080/auth/callback");

    @Test
    void overHttpsTheCookieIsSecureAndHostBound() {
        assertThat(SignInCookie.of("v", HTTPS, Duration.ofMinutes(10)))
                .isEqualTo("__Host-yoto_keeper_sign_in=v; Path=/; Max-Age=600; HttpOnly; SameSite=Lax; Secure");
        assertThat(SignInCookie.cleared(HTTPS)).isEqualTo("__Host-yoto_keeper_sign_in=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure");
        assertThat(SignInCookie.read("a=b; __Host-yoto_keeper_sign_in=v", HTTPS)).isEqualTo("v");
        assertThat(SignInCookie.read("yoto_keeper_sign_in=v", HTTPS)).as("only the __Host- cookie counts over https").isNull();
    }

    @Test
    void overPlainHttpOnLoopbackItCannotBeSecure() {
        assertThat(SignInCookie.of("v", LOCAL, Duration.ofMinutes(10))).isEqualTo("yoto_keeper_sign_in=v; Path=/; Max-Age=600; HttpOnly; SameSite=Lax");
        assertThat(SignInCookie.read("yoto_keeper_sign_in= v ;x=y", LOCAL)).isEqualTo("v");
        assertThat(SignInCookie.read("yoto_keeper_sign_in=", LOCAL)).isNull();
        assertThat(SignInCookie.read(null, LOCAL)).isNull();
        assertThat(SignInCookie.read("xyoto_keeper_sign_in=v", LOCAL)).isNull();
    }
}
