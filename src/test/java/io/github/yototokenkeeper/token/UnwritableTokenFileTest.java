package io.github.yototokenkeeper.token;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.yototokenkeeper.support.CapturedLogs;
import io.github.yototokenkeeper.support.KeeperMainTestSupport;
import io.github.yototokenkeeper.support.Tokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.support.MessageHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The volume turns read-only (made immutable with chattr +i, which stops even root) or fills up (a 64 KiB tmpfs
 * mounted on the token directory, filled to the last byte): the rotated token is kept in memory, used for the next
 * refresh, the old file stays as it was, and the token reaches the disk once it can. Both need root; under CI=true a
 * machine that refuses them fails the test instead of skipping it.
 */
class UnwritableTokenFileTest extends KeeperMainTestSupport {

    @Override
    protected void keeperProperties(Properties properties) {
        properties.put("yoto.keeper.expiry-check-seconds", "1"); // the unsaved token is written again on every check
        properties.put("KEEPER_ALERT_URI", "mock:alerts");
    }

    private boolean mounted;

    /** Runs a system command; false when it fails or is not installed. */
    private static boolean run(String... command) throws Exception {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException missing) {
            return false;
        }
    }

    private static boolean chattr(String flag, Path dir) throws Exception {
        return run("chattr", flag, dir.toString());
    }

    /** The keeper starts on {@code first}; the server rotates it to {@code second} at start and to {@code third} next. */
    private void startRotating(String first, String second, String third) throws Exception {
        writeTokenFile(first);
        yoto.stubFor(tokenEndpoint().inScenario("rotation").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(tokenJson(Tokens.access(), second, 86_400))).willSetStateTo("second"));
        yoto.stubFor(tokenEndpoint().inScenario("rotation").whenScenarioStateIs("second")
                .willReturn(okJson(tokenJson(Tokens.access(), third, 86_400))));
        startKeeper();
        assertThat(tokenFileContent().strip()).isEqualTo(second);
    }

    private static void requireOnCi(boolean works, String what) {
        if ("true".equals(System.getenv("CI"))) {
            assertThat(works).as(what + " works on CI's machine (root)").isTrue();
        }
        Assumptions.assumeTrue(works, what + " is not available here");
    }

    @AfterEach
    void makeWritableAgain() throws Exception {
        chattr("-i", tempDir());
        if (mounted) {
            context.stop(); // nothing may hold the tmpfs when it is unmounted
            boolean unmounted = run("umount", tempDir().toString()) || run("umount", "-l", tempDir().toString());
            assertThat(unmounted).as("the tmpfs on " + tempDir() + " is unmounted").isTrue();
        }
    }

    /** Writes a filler file until the file system refuses another byte. */
    private static Path fillUp(Path dir) throws Exception {
        Path filler = dir.resolve("filler");
        try (var out = Files.newOutputStream(filler)) {
            byte[] block = new byte[1024];
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            assertThat(full).hasMessageContaining("No space left on device");
        }
        return filler;
    }

    @Test
    void aLogoutWhoseFileCannotBeDeletedChangesNothing() throws Exception {
        String token = Tokens.refresh();
        String rotated = Tokens.refresh();
        writeTokenFile(token);
        stubTokenAnswer(Tokens.access(), rotated, 86_400);
        startKeeper();
        requireOnCi(chattr("+i", tempDir()), "chattr +i");

        var response = http("POST", "/auth/logout");

        assertThat(response.statusCode()).isGreaterThanOrEqualTo(500);
        assertThat(response.body()).contains(tokenFile().toString());
        // still logged in, as the file says: a later refresh must not resume a session the page claims is gone
        assertThat(status().state()).isEqualTo(SessionState.AUTHENTICATED);
        assertThat(tokenFileContent().strip()).isEqualTo(rotated);
    }

    @Test
    void aRotatedTokenThatAFullDiskRefusesIsKeptAndSavedOnceThereIsRoom() throws Exception {
        mounted = run("mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", tempDir().toString());
        requireOnCi(mounted, "mount -t tmpfs");
        String first = Tokens.refresh();
        String second = Tokens.refresh();
        String third = Tokens.refresh() + "-" + "x".repeat(2000); // JWT-sized: it needs a block of its own
        startRotating(first, second, third);
        Path filler = fillUp(tempDir());
        int mark = CapturedLogs.mark();

        refreshNow(); // the server rotates to the third token; the full disk refuses it

        assertThat(tokenFileContent().strip()).as("the old file is whole").isEqualTo(second);
        assertThat(status().refreshTokenUnsaved()).isTrue();
        assertThat(CapturedLogs.textSince(mark)).contains("The rotated refresh token could not be saved")
                .contains("No space left on device").contains(tokenFile().toString());
        // the expiry check (every second) tries to save the held token again, through a temporary file of its own
        // that it removes at once: paused while the directory is listed, so that only a file left behind can show
        context.getRouteController().suspendRoute("yoto-keeper-early-refresh"); // returns once a check under way ended
        try (var names = Files.list(tempDir())) {
            assertThat(names.map(p -> p.getFileName().toString())).as("no temporary file left behind")
                    .containsExactlyInAnyOrder(".yoto_refresh_token", "filler");
        } finally {
            context.getRouteController().resumeRoute("yoto-keeper-early-refresh");
        }

        Files.delete(filler); // room again: the next expiry check (every second) saves the held token
        NotifyBuilder checks = new NotifyBuilder(context).fromRoute("yoto-keeper-early-refresh").whenDone(2).create();
        assertThat(checks.matches(10, TimeUnit.SECONDS)).isTrue();
        assertThat(tokenFileContent().strip()).isEqualTo(third);
        assertThat(status().refreshTokenUnsaved()).isFalse();
    }

    @Test
    void aRotatedTokenTheDiskRefusesIsKeptUsedNextAndSavedWhenPossible() throws Exception {
        String first = Tokens.refresh();
        String second = Tokens.refresh();
        String third = Tokens.refresh();
        startRotating(first, second, third);

        requireOnCi(chattr("+i", tempDir()), "chattr +i");
        int mark = CapturedLogs.mark();
        // the alert goes through a SEDA queue: awaited, never asserted at once
        MockEndpoint alerts = context.getEndpoint("mock:alerts", MockEndpoint.class);
        java.util.concurrent.CountDownLatch unsavedAlert = new java.util.concurrent.CountDownLatch(1);
        alerts.whenAnyExchangeReceived(alert -> {
            // read without consuming: getBody(String.class) would use up the stored stream copy of the body
            if (MessageHelper.extractBodyAsString(alert.getMessage()).contains("refresh_token_unsaved")) {
                unsavedAlert.countDown();
            }
        });

        refreshNow(); // the server rotates to the third token; the disk refuses it

        assertThat(tokenFileContent().strip()).as("the old file is untouched").isEqualTo(second);
        assertThat(status().refreshTokenUnsaved()).isTrue();
        assertThat(CapturedLogs.textSince(mark)).contains("The rotated refresh token could not be saved: Cannot write token file");
        var health = HealthCheckHelper.invoke(context).stream().filter(r -> r.getCheck().getId().equals(TokenHealthCheck.ID)).findFirst().orElseThrow();
        assertThat(health.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(unsavedAlert.await(10, TimeUnit.SECONDS)).as("the refresh_token_unsaved alert was sent").isTrue();

        refreshNow(); // the next refresh must use the token in memory, not the dead one on disk
        yoto.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH)).withFormParam("refresh_token", equalTo(third)));

        // the disk is back and a refresh comes before the next check writes the held token: the file must end with the
        // newest token, never be overwritten by the older one that was held in memory
        String fourth = Tokens.refresh();
        yoto.resetAll();
        stubTokenAnswer(Tokens.access(), fourth, 86_400);
        chattr("-i", tempDir());
        refreshNow();
        NotifyBuilder checks = new NotifyBuilder(context).fromRoute("yoto-keeper-early-refresh").whenDone(2).create();
        assertThat(checks.matches(10, TimeUnit.SECONDS)).isTrue();
        yoto.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH)).withFormParam("refresh_token", equalTo(third)));
        assertThat(tokenFileContent().strip()).isEqualTo(fourth);
        assertThat(status().refreshTokenUnsaved()).isFalse();
    }
}
