package io.github.yototokenkeeper.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.yototokenkeeper.config.InvalidSettingException;
import io.github.yototokenkeeper.config.KeeperSettings;
import io.github.yototokenkeeper.support.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** KEEPER_API_KEYS and KEEPER_API_KEYS_FILE: what is accepted, what stops the start, and never a key in a message. */
class ApiKeysTest {

    static final String HA = "ha-" + Tokens.MARKER + "-0123456789abcdef0123456789";
    static final String SCRIPT = "script-" + Tokens.MARKER + "-0123456789abcdef012345";

    @TempDir
    Path dir;

    static KeeperSettings settings(String keys, Path file) {
        Map<String, String> values = new HashMap<>();
        if (keys != null) {
            values.put("yoto.keeper.api-keys", keys);
        }
        if (file != null) {
            values.put("yoto.keeper.api-keys-file", file.toString());
        }
        return KeeperSettings.from(values::get);
    }

    @Test
    void aSettingThatIsThereButNamesNoKeyStopsTheStart() throws Exception {
        for (String empty : new String[] {",", " , ,", "# keys come later"}) {
            assertThatThrownBy(() -> ApiKeys.from(settings(empty, null))).as(empty).isInstanceOf(InvalidSettingException.class)
                    .hasMessageStartingWith("KEEPER_API_KEYS (yoto.keeper.api-keys) is set but names no key: write name:key");
        }
        Path file = dir.resolve("keys");
        for (String empty : new String[] {"", "\n\n", "# ha: later\n  \n# script\n"}) {
            Files.writeString(file, empty);
            assertThatThrownBy(() -> ApiKeys.from(settings(null, file))).as(empty).isInstanceOf(InvalidSettingException.class)
                    .hasMessageStartingWith("KEEPER_API_KEYS_FILE (yoto.keeper.api-keys-file) is set but names no key");
        }
        Files.writeString(file, "# the scripts\nscript:" + SCRIPT + "\n");
        assertThat(ApiKeys.from(settings(null, file)).names()).containsExactly("script");
    }

    @Test
    void offUnlessSet() {
        assertThat(ApiKeys.from(settings(null, null)).enabled()).isFalse();
        assertThat(ApiKeys.from(settings("  ", null)).enabled()).isFalse();
    }

    @Test
    void namesKeysAndScopes() {
        ApiKeys keys = ApiKeys.from(settings("ha:" + HA + ":proxy, script:" + SCRIPT, null));
        assertThat(keys.names()).containsExactly("ha", "script");
        assertThat(keys.match("Bearer " + HA)).hasValueSatisfying(k -> {
            assertThat(k.name()).isEqualTo("ha");
            assertThat(k.allows(ApiScope.PROXY)).isTrue();
            assertThat(k.allows(ApiScope.TOKEN)).isFalse();
            assertThat(k.toString()).doesNotContain(Tokens.MARKER);
        });
        assertThat(keys.match("bearer " + SCRIPT)).hasValueSatisfying(k -> assertThat(k.scopes()).containsExactlyInAnyOrder(ApiScope.values()));
        assertThat(keys.match("Bearer " + HA + "x")).isEmpty();
        assertThat(keys.match("Basic " + HA)).isEmpty();
        assertThat(keys.match(null)).isEmpty();
        assertThat(keys.match("Bearer ")).isEmpty();
    }

    @Test
    void aFileHoldsOneALineWithCommentsAndBlankLines() throws Exception {
        Path file = dir.resolve("keys");
        Files.writeString(file, "# programs\nha:" + HA + ":token\r\n\nscript:" + SCRIPT + "\n");
        ApiKeys keys = ApiKeys.from(settings(null, file));
        assertThat(keys.names()).containsExactly("ha", "script");
        assertThat(keys.match("Bearer " + HA).orElseThrow().allows(ApiScope.PROXY)).isFalse();
    }

    @Test
    void malformedSettingsStopTheStartNamingTheSettingAndNeverTheKey() {
        assertRefused("ha:" + HA + ",ha:" + SCRIPT, "KEEPER_API_KEYS", "names 'ha' twice");
        assertRefused("ha:" + HA + ",other:" + HA, "KEEPER_API_KEYS", "its own key");
        assertRefused("ha:short-" + Tokens.MARKER, "KEEPER_API_KEYS", "entry 1 ('ha') has a key of 15 characters");
        assertRefused("ha:" + HA + ":admin", "KEEPER_API_KEYS", "unknown scope");
        assertRefused("ha:" + HA + ":x:" + SCRIPT, "KEEPER_API_KEYS", "entry 1 is not name:key");
        assertRefused(HA, "KEEPER_API_KEYS", "entry 1 is not name:key");
        assertRefused("h a:" + HA, "KEEPER_API_KEYS", "has a name");
        assertRefused("ha:" + HA.substring(0, 10) + " " + HA.substring(10), "KEEPER_API_KEYS", "a space");
    }

    @Test
    void anUnreadableFileStopsTheStart() {
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> ApiKeys.from(settings(null, missing))).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("KEEPER_API_KEYS_FILE").hasMessageContaining(missing.toString());
    }

    private static void assertRefused(String keys, String setting, String reason) {
        assertThatThrownBy(() -> ApiKeys.from(settings(keys, null))).as(reason).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining(setting).hasMessageContaining(reason).message().doesNotContain(Tokens.MARKER);
    }
}
