package io.github.yototokenkeeper.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 9: only an absolute http(s) address from the server becomes a link and a QR code. */
class LoginPageAddressTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://login.yotoplay.com/activate", "https://login.yotoplay.com/activate?user_code=KDJS-HFPQ",
            "HTTPS://login.example/activate", "http://127.0.0.1:8080/activate"})
    void webAddressesAreLinked(String address) {
        assertThat(LoginPage.isWebAddress(address)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"javascript:alert(1)", "JavaScript:alert(1)//https://login.example", "data:text/html,<script>alert(1)</script>",
            "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "//login.example/activate", "/activate", "login.example/activate",
            "https:///activate", "https:activate", "ftp://login.example/activate", "vbscript:msgbox", "https://login.example/a b", "", " "})
    void anythingElseIsNot(String address) {
        assertThat(LoginPage.isWebAddress(address)).isFalse();
    }

    @org.junit.jupiter.api.Test
    void anAddressTooLongForAQrCodeGetsNoneInsteadOfBreakingThePage() {
        assertThat(QrCodeSvg.of("https://login.example/activate?user_code=" + "A".repeat(5000))).isEmpty();
        assertThat(QrCodeSvg.of("https://login.example/activate?user_code=KDJS-HFPQ")).hasValueSatisfying(svg ->
                assertThat(svg).startsWith("<svg class=\"qr\""));
    }
}
