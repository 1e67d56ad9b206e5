package io.github.yototokenkeeper.token;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.yototokenkeeper.config.KeeperSettings;
import io.github.yototokenkeeper.config.MountPoints;
import io.github.yototokenkeeper.embed.KeeperAssembly;
import io.github.yototokenkeeper.support.CapturedLogs;
import io.github.yototokenkeeper.support.KeeperMainTestSupport;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.camel.component.timer.TimerEndpoint;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The schedule as configured through the service's own application.properties. */
class ScheduleTest {

    @Nested
    class EveryThreeHours extends KeeperMainTestSupport {

        @Override
        protected void keeperProperties(Properties properties) {
            // the name an operator writes in the top-level application.properties (and the environment variable's)
            properties.put("TOKEN_REFRESH_INTERVAL_HOURS", "3");
        }

        @Test
        void theTimerFiresEveryThreeHoursStartingAtOnce() {
            int mark = CapturedLogs.mark();
            startKeeper();
            TimerEndpoint timer = (TimerEndpoint) context.getRoute("yoto-keeper-schedule").getEndpoint();
            assertThat(timer.getPeriod()).isEqualTo(3 * 60 * 60 * 1000L);
            assertThat(timer.getDelay()).isZero();
            assertThat(CapturedLogs.textSince(mark)).contains("Starting background token refresh task (every 3 hours)")
                    .doesNotContain("may expire between refreshes");
        }
    }

    @Nested
    class LongInterval extends KeeperMainTestSupport {

        @Override
        protected void keeperProperties(Properties properties) {
            properties.put("TOKEN_REFRESH_INTERVAL_HOURS", "21");
        }

        @Test
        void aboveTwentyHoursWarnsThatTokensMayExpire() {
            int mark = CapturedLogs.mark();
            startKeeper();
            assertThat(CapturedLogs.since(mark)).anySatisfy(line -> {
                assertThat(line.level()).isEqualTo("WARN");
                assertThat(line.text()).contains("TOKEN_REFRESH_INTERVAL_HOURS=21").contains("tokens may expire between refreshes");
            });
        }
    }

    @Nested
    class OnRailway extends KeeperMainTestSupport {

        @Override
        protected void keeperProperties(Properties properties) {
            properties.remove("yoto.keeper.token-file");
            properties.put("RAILWAY_ENVIRONMENT_NAME", "production");
        }

        @Override
        protected void keeperBeans(Registry registry) {
            mountPoints(registry, "overlay / overlay rw,relatime 0 0", "proc /proc proc rw 0 0"); // no volume at /data
        }

        @Test
        void theTokenLivesOnTheDataVolumeAndAMissingVolumeIsWarnedAbout() {
            int mark = CapturedLogs.mark();
            startKeeper();
            KeeperSettings settings = context.getRegistry().lookupByNameAndType(KeeperAssembly.SETTINGS, KeeperSettings.class);
            assertThat(settings.tokenFile()).isEqualTo(Path.of("/data/.yoto_refresh_token"));
            assertThat(CapturedLogs.since(mark)).anySatisfy(line -> {
                assertThat(line.level()).isEqualTo("WARN");
                assertThat(line.text()).contains("/data is not on a mounted volume").contains("LOST at the next redeploy");
            });
        }
    }

    @Nested
    class OnRailwayWithAVolume extends KeeperMainTestSupport {

        @Override
        protected void keeperProperties(Properties properties) {
            properties.remove("yoto.keeper.token-file");
            properties.put("RAILWAY_ENVIRONMENT_NAME", "production");
        }

        @Override
        protected void keeperBeans(Registry registry) {
            mountPoints(registry, "overlay / overlay rw,relatime 0 0", "/dev/vdb /data ext4 rw,relatime 0 0");
        }

        @Test
        void aVolumeAtDataIsNotWarnedAbout() {
            int mark = CapturedLogs.mark();
            startKeeper();
            assertThat(CapturedLogs.textSince(mark)).doesNotContain("not on a mounted volume");
        }
    }

    /** The machine's mount points as the keeper sees them: lines of /proc/self/mounts. */
    static void mountPoints(Registry registry, String... procMounts) {
        Set<Path> mounts = MountPoints.parse(List.of(procMounts));
        registry.bind(KeeperAssembly.MOUNT_POINTS, (Supplier<Optional<Set<Path>>>) () -> Optional.of(mounts));
    }

    @Nested
    class OnRailwayWithExplicitFile extends KeeperMainTestSupport {

        @Override
        protected void keeperProperties(Properties properties) {
            properties.remove("yoto.keeper.token-file");
            properties.put("RAILWAY_ENVIRONMENT_NAME", "production");
            properties.put("YOTO_REFRESH_TOKEN_FILE", tokenFile().toString());
        }

        @Test
        void anExplicitTokenFileWins() {
            startKeeper();
            KeeperSettings settings = context.getRegistry().lookupByNameAndType(KeeperAssembly.SETTINGS, KeeperSettings.class);
            assertThat(settings.tokenFile()).isEqualTo(tokenFile());
        }
    }

    @Nested
    class WithoutClientId extends KeeperMainTestSupport {

        @Override
        protected void keeperProperties(Properties properties) {
            properties.remove("yoto.keeper.client-id");
        }

        @Test
        void theServiceStartsSaysWhatIsMissingAndDoesNotRefresh() throws Exception {
            writeTokenFile("rt-anything");
            int mark = CapturedLogs.mark();
            startKeeper();
            refreshNow();
            assertThat(yoto.getAllServeEvents()).isEmpty();
            assertThat(CapturedLogs.textSince(mark)).contains("YOTO_CLIENT_ID is not set: the keeper starts but cannot log in or refresh tokens");
            assertThat(tokenFileContent()).isEqualTo("rt-anything");
        }
    }
}
