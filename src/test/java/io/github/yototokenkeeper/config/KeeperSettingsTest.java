package io.github.yototokenkeeper.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class KeeperSettingsTest {

    private final Map<String, String> values = new HashMap<>();

    private KeeperSettings settings() {
        return KeeperSettings.from(values::get);
    }

    @Test
    void defaultsAreYotosAndTwelveHours() {
        KeeperSettings settings = settings();
        assertThat(settings.clientId()).isEmpty();
        assertThat(settings.hasClientId()).isFalse();
        assertThat(settings.refreshInterval()).isEqualTo(Duration.ofHours(12));
        assertThat(settings.earlyRefreshMargin()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.tokenFile()).isEqualTo(Path.of(".yoto_refresh_token"));
        assertThat(settings.tokenUrl()).hasToString("https://login.yotoplay.com/oauth/token");
        assertThat(settings.deviceCodeUrl()).hasToString("https://login.yotoplay.com/oauth/device/code");
        assertThat(settings.audience()).isEqualTo("https://api.yotoplay.com");
        assertThat(settings.scope()).isEqualTo("profile offline_access");
    }

    @Test
    void theCallbackUrlIsTheLoopbackOneLocallyRailwaysPublicOneThereAndAnExplicitOneAboveBoth() {
        values.put("camel.server.port", "8787");
        values.put(Setting.WEB_PATH.key(), "/");
        assertThat(settings().redirectUri()).hasToString("http://127.0.0.1:8787/auth/callback");
        assertThat(settings().authorizeUrl()).hasToString("https://login.yotoplay.com/authorize");
        values.put(Setting.WEB_PATH.key(), "/yoto-keeper");
        assertThat(settings().redirectUri()).as("embedded: under the host's web path").hasToString("http://127.0.0.1:8787/yoto-keeper/auth/callback");
        values.put(Setting.WEB_PATH.key(), "/");
        values.put(Setting.PUBLIC_DOMAIN.key(), "keeper.up.railway.app");
        assertThat(settings().redirectUri()).hasToString("https://keeper.up.railway.app/auth/callback");
        assertThat(settings().pageHostNames()).containsExactly("keeper.up.railway.app");
        values.put(Setting.REDIRECT_URI.key(), "https://yoto.home.example/auth/callback");
        assertThat(settings().redirectUri()).hasToString("https://yoto.home.example/auth/callback");
        assertThat(settings().pageHostNames()).as("the callback's host is one of the keeper's names")
                .containsExactly("keeper.up.railway.app", "yoto.home.example");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/auth/callback", "ftp://x/auth/callback", "https://x.example/auth/callback?a=b", "https://x.example/cb#f", "no"})
    void aCallbackUrlThatIsNotAnAbsoluteWebAddressRefusesToStart(String uri) {
        values.put(Setting.REDIRECT_URI.key(), uri);
        assertThatThrownBy(this::settings).isInstanceOf(InvalidSettingException.class).hasMessageStartingWith("YOTO_REDIRECT_URI");
    }

    @Test
    void theLoginFlowIsAutoBrowserOrDevice() {
        assertThat(settings().loginFlows()).isEqualTo(LoginFlows.AUTO);
        assertThat(LoginFlows.AUTO.browser() && LoginFlows.AUTO.device()).isTrue();
        values.put(Setting.LOGIN_FLOW.key(), "Browser");
        assertThat(settings().loginFlows()).isEqualTo(LoginFlows.BROWSER);
        values.put(Setting.LOGIN_FLOW.key(), "device");
        assertThat(settings().loginFlows()).isEqualTo(LoginFlows.DEVICE);
        values.put(Setting.LOGIN_FLOW.key(), "pkce");
        assertThatThrownBy(this::settings).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("YOTO_LOGIN_FLOW (yoto.keeper.login-flow)='pkce' is not allowed: use auto");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "3", "12", "20", "23", " 7 "})
    void wholeHoursFromOneToTwentyThreeAreAccepted(String hours) {
        values.put(Setting.REFRESH_INTERVAL_HOURS.key(), hours);
        assertThat(settings().refreshInterval()).isEqualTo(Duration.ofHours(Integer.parseInt(hours.trim())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "24", "-3", "abc", "12.5", "", " ", "1e1", "99999999999"})
    void anyOtherIntervalRefusesToStartNamingTheVariableTheValueAndTheRange(String hours) {
        values.put(Setting.REFRESH_INTERVAL_HOURS.key(), hours);
        assertThatThrownBy(this::settings)
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("TOKEN_REFRESH_INTERVAL_HOURS='" + hours + "' is not allowed: use a whole number of hours from 1 to 23 (default 12)");
    }

    @Test
    void railwayPutsTheTokenOnTheDataVolume() {
        values.put(Setting.RAILWAY_ENVIRONMENT.key(), "production");
        assertThat(settings().tokenFile()).isEqualTo(Path.of("/data/.yoto_refresh_token"));
        assertThat(settings().onRailway()).isTrue();
    }

    @Test
    void anExplicitTokenFileWinsOverRailwayAndTheLocalDefault() {
        values.put(Setting.RAILWAY_ENVIRONMENT.key(), "production");
        values.put(Setting.TOKEN_FILE.key(), "/mnt/tokens/yoto");
        assertThat(settings().tokenFile()).isEqualTo(Path.of("/mnt/tokens/yoto"));
        values.remove(Setting.RAILWAY_ENVIRONMENT.key());
        assertThat(settings().tokenFile()).isEqualTo(Path.of("/mnt/tokens/yoto"));
    }

    @Test
    void blankValuesMeanUnset() {
        values.put(Setting.RAILWAY_ENVIRONMENT.key(), "  ");
        values.put(Setting.TOKEN_FILE.key(), "");
        values.put(Setting.CLIENT_ID.key(), " ");
        assertThat(settings().tokenFile()).isEqualTo(Path.of(".yoto_refresh_token"));
        assertThat(settings().clientId()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"login.yotoplay.com/oauth/token", "ftp://example.com/token", "http://", "not a url"})
    void endpointsMustBeAbsoluteHttpUrls(String url) {
        values.put(Setting.TOKEN_URL.key(), url);
        assertThatThrownBy(this::settings).isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("YOTO_TOKEN_URL (yoto.keeper.token-url)='" + url + "' is not allowed");
    }

    @Test
    void anyCompliantServerCanStandInForYotos() {
        values.put(Setting.TOKEN_URL.key(), "http://127.0.0.1:9999/realms/home/protocol/openid-connect/token?x=1");
        values.put(Setting.AUDIENCE.key(), "my-api");
        values.put(Setting.SCOPE.key(), "openid offline_access");
        assertThat(settings().tokenUrl().getPort()).isEqualTo(9999);
        assertThat(settings().audience()).isEqualTo("my-api");
        assertThat(settings().scope()).isEqualTo("openid offline_access");
    }

    @Test
    void marginMustBeAWholeNumberOfSeconds() {
        values.put(Setting.EARLY_REFRESH_MARGIN_SECONDS.key(), "5m");
        assertThatThrownBy(this::settings).hasMessage(
                "TOKEN_EARLY_REFRESH_SECONDS (yoto.keeper.early-refresh-margin-seconds)='5m' is not allowed: use a whole number from 0 to 86400");
    }

    @Test
    void aPasswordShorterThanTwelveCharactersStopsTheStartWithoutShowingIt() {
        values.put(Setting.PASSWORD.key(), "hunter2-abc");
        assertThatThrownBy(this::settings).isInstanceOf(InvalidSettingException.class)
                .hasMessage("KEEPER_PASSWORD (yoto.keeper.password) is 11 characters long: use at least 12 (a passphrase of a few words is fine)")
                .message().doesNotContain("hunter2");
        values.put(Setting.PASSWORD.key(), "hunter2-abcd");
        assertThat(settings().webAccess()).isEqualTo(WebAccess.PASSWORD);
        assertThat(settings().toString()).doesNotContain("hunter2");
    }

    @Test
    void withoutAPasswordTheWebIsOpenOnlyOnLoopbackOrBehindTheOperatorsOwnProxy() {
        assertThat(settings().webAccess()).as("0.0.0.0 by default").isEqualTo(WebAccess.LOCKED);
        for (String loopback : new String[] {"127.0.0.1", "localhost", "::1", "127.0.1.1"}) {
            values.put("camel.server.host", loopback);
            assertThat(settings().webAccess()).as(loopback).isEqualTo(WebAccess.OPEN);
        }
        values.put("camel.server.host", "192.168.1.20");
        assertThat(settings().webAccess()).isEqualTo(WebAccess.LOCKED);
        values.put(Setting.AUTH.key(), "none");
        assertThat(settings().webAccess()).isEqualTo(WebAccess.OPEN);
        assertThat(settings().passwordless()).isTrue();
        values.put(Setting.AUTH.key(), "password");
        assertThat(settings().webAccess()).isEqualTo(WebAccess.LOCKED);
    }

    @Test
    void withoutKeysTheApiIsOpenOnlyOnLoopbackWithoutAPassword() {
        values.put("camel.server.host", "127.0.0.1");
        assertThat(settings().apiOpenWithoutKeys()).isTrue();
        assertThat(settings().apiKeysRequiredBecause()).isEmpty();

        values.put(Setting.PASSWORD.key(), "a long enough password");
        assertThat(settings().apiOpenWithoutKeys()).as("loopback behind a local proxy, with the page's password").isFalse();
        assertThat(settings().apiKeysRequiredBecause()).hasValueSatisfying(why -> assertThat(why)
                .contains("KEEPER_PASSWORD is set").contains("does not open the API").doesNotContain("a long enough password"));

        values.remove(Setting.PASSWORD.key());
        values.put("camel.server.host", "0.0.0.0");
        values.put(Setting.AUTH.key(), "none");
        assertThat(settings().webAccess()).isEqualTo(WebAccess.OPEN);
        assertThat(settings().apiOpenWithoutKeys()).as("KEEPER_AUTH=none on the network").isFalse();
        assertThat(settings().apiKeysRequiredBecause()).hasValueSatisfying(why -> assertThat(why).contains("KEEPER_AUTH=none")
                .contains("may not guard /api"));

        values.remove(Setting.AUTH.key());
        assertThat(settings().apiOpenWithoutKeys()).isFalse();
        assertThat(settings().apiKeysRequiredBecause()).hasValueSatisfying(why -> assertThat(why).contains("reachable from the network"));
    }

    @Test
    void keeperAuthIsPasswordOrNoneAndNoneWithAPasswordIsRefused() {
        values.put(Setting.AUTH.key(), "basic");
        assertThatThrownBy(this::settings).hasMessageStartingWith("KEEPER_AUTH (yoto.keeper.auth)='basic' is not allowed: use password");
        values.put(Setting.AUTH.key(), "none");
        values.put(Setting.PASSWORD.key(), "a long enough password");
        assertThatThrownBy(this::settings).hasMessageStartingWith("KEEPER_AUTH (yoto.keeper.auth)=none and KEEPER_PASSWORD are both set")
                .message().doesNotContain("a long enough password");
    }

    @Test
    void allowedHostsAreNamesFromTheListAndRailwaysPublicDomain() {
        values.put(Setting.ALLOWED_HOSTS.key(), " Keeper.Home.Example , nas.local.,, ");
        values.put(Setting.PUBLIC_DOMAIN.key(), "keeper-production.up.railway.app");
        assertThat(settings().allowedHosts()).containsExactly("keeper-production.up.railway.app", "keeper.home.example", "nas.local");
        values.put(Setting.ALLOWED_HOSTS.key(), "https://keeper.example");
        assertThatThrownBy(this::settings).hasMessageContaining("KEEPER_ALLOWED_HOSTS").hasMessageContaining("'https://keeper.example'");
        values.put(Setting.ALLOWED_HOSTS.key(), "keeper.example:8080");
        assertThatThrownBy(this::settings).hasMessageContaining("without scheme or port");
    }
}
