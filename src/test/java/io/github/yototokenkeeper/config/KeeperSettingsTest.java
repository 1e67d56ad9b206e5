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
        assertThat(settings.canRefresh()).isFalse();
        assertThat(settings.refreshInterval()).isEqualTo(Duration.ofHours(12));
        assertThat(settings.earlyRefreshMargin()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.tokenFile()).isEqualTo(Path.of(".yoto_refresh_token"));
        assertThat(settings.tokenUrl()).hasToString("https://login.yotoplay.com/oauth/token");
        assertThat(settings.deviceCodeUrl()).hasToString("https://login.yotoplay.com/oauth/device/code");
        assertThat(settings.audience()).isEqualTo("https://api.yotoplay.com");
        assertThat(settings.scope()).isEqualTo("profile offline_access");
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
}
