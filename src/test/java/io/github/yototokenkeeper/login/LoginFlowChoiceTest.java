package io.github.yototokenkeeper.login;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.yototokenkeeper.support.KeeperMainTestSupport;
import java.net.http.HttpResponse;
import java.util.Properties;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** YOTO_LOGIN_FLOW: the page offers only the chosen login, and the other start refuses with a reason. */
class LoginFlowChoiceTest {

    @Nested
    class BrowserOnly extends KeeperMainTestSupport {

        @Override
        protected void keeperProperties(Properties properties) {
            properties.put("yoto.keeper.login-flow", "browser");
        }

        @Test
        void onlySignInWithYotoIsOffered() {
            startKeeper();
            String page = http("GET", "/").body();
            assertThat(page).contains("Sign in with Yoto").doesNotContain("/auth/device/start").doesNotContain("Use a code instead");
            HttpResponse<String> device = http("POST", "/auth/device/start");
            assertThat(device.statusCode()).isEqualTo(409);
            assertThat(device.body()).contains("flow_disabled").contains("YOTO_LOGIN_FLOW=browser");
            assertThat(http("GET", "/auth/status").body()).contains("\"login_flows\":[\"browser\"]");
        }
    }

    @Nested
    class DeviceOnly extends KeeperMainTestSupport {

        @Override
        protected void keeperProperties(Properties properties) {
            properties.put("yoto.keeper.login-flow", "device");
        }

        @Test
        void onlyTheCodeIsOfferedAndNoCallbackIsMentioned() {
            startKeeper();
            String page = http("GET", "/").body();
            assertThat(page).contains("Connect your Yoto account").doesNotContain("/auth/browser/start").doesNotContain("callback-url");
            HttpResponse<String> browser = http("POST", "/auth/browser/start");
            assertThat(browser.statusCode()).isEqualTo(409);
            assertThat(browser.body()).contains("flow_disabled").contains("YOTO_LOGIN_FLOW=device");
            assertThat(http("GET", "/auth/status").body()).contains("\"login_flows\":[\"device\"],\"redirect_uri\":null");
            assertThat(http("GET", "/").headers().firstValue("Content-Security-Policy").orElseThrow()).contains("form-action 'self' ;");
        }
    }
}
