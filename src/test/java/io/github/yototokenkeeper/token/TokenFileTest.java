package io.github.yototokenkeeper.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The token file on a real file system in a temporary directory. */
class TokenFileTest {

    @TempDir
    Path dir;

    private TokenFile file() {
        return new TokenFile(dir.resolve(".yoto_refresh_token"));
    }

    private Path path() {
        return dir.resolve(".yoto_refresh_token");
    }

    @Test
    void writesTheBareTokenAsPlainTextOwnerOnlyAndReadsItBack() throws Exception {
        file().write("v1.MjbK-opaque_token~value");
        Path path = dir.resolve(".yoto_refresh_token");
        assertThat(Files.readString(path)).isEqualTo("v1.MjbK-opaque_token~value\n");
        assertThat(Files.getPosixFilePermissions(path)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(file().read()).contains("v1.MjbK-opaque_token~value");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(path);
        }
    }

    @Test
    void replacingAnExistingWorldReadableFileMakesItOwnerOnly() throws Exception {
        Path path = dir.resolve(".yoto_refresh_token");
        Files.writeString(path, "old");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
        file().write("new");
        assertThat(Files.getPosixFilePermissions(path)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(file().read()).contains("new");
    }

    @Test
    void aMissingParentDirectoryIsCreated() throws Exception {
        TokenFile nested = new TokenFile(dir.resolve("a/b/.yoto_refresh_token"));
        nested.write("tok");
        assertThat(nested.read()).contains("tok");
    }

    @Test
    void aParentThatCannotBeCreatedIsNamedWithTheVariablesThatMoveIt() throws Exception {
        Files.writeString(dir.resolve("data"), "a file, not a directory");
        TokenFile blocked = new TokenFile(dir.resolve("data/.yoto_refresh_token"));
        assertThatThrownBy(() -> blocked.write("tok"))
                .isInstanceOf(TokenFileException.class)
                .hasMessageContaining("Cannot create directory " + dir.resolve("data"))
                .hasMessageContaining("YOTO_REFRESH_TOKEN_FILE")
                .hasMessageContaining("/data");
    }

    @Test
    void aLongJwtLikeTokenIsFine() throws Exception {
        String jwt = "eyJ" + "a".repeat(4000) + "." + "b".repeat(3000) + "." + "c".repeat(500);
        file().write(jwt);
        assertThat(file().read()).contains(jwt);
    }

    @Test
    void missingOrBlankFileMeansNoToken() throws Exception {
        assertThat(file().read()).isEmpty();
        Files.writeString(dir.resolve(".yoto_refresh_token"), " \n\t\n");
        assertThat(file().read()).isEmpty();
    }

    @Test
    void thePythonServicesFileIsReadTrimmed() throws Exception {
        Files.writeString(dir.resolve(".yoto_refresh_token"), "abc123\n");
        assertThat(file().read()).contains("abc123");
    }

    @Test
    void binaryGarbageIsAClearErrorAndTheFileStays() throws Exception {
        Path path = dir.resolve(".yoto_refresh_token");
        byte[] garbage = {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0xc3};
        Files.write(path, garbage);
        assertThatThrownBy(() -> file().read()).isInstanceOf(TokenFileException.class)
                .hasMessageContaining(path.toString()).hasMessageContaining("does not hold text");
        assertThat(Files.readAllBytes(path)).isEqualTo(garbage);
    }

    @Test
    void whiteSpaceInsideTheTokenIsAClearError() throws Exception {
        Files.writeString(dir.resolve(".yoto_refresh_token"), "abc def\n");
        assertThatThrownBy(() -> file().read()).isInstanceOf(TokenFileException.class)
                .hasMessageContaining("white space or control characters inside");
        assertThatThrownBy(() -> file().write("abc def")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aHugeFileIsNotReadAndStays() throws Exception {
        Path path = dir.resolve(".yoto_refresh_token");
        Files.write(path, "x".repeat(10 * 1024 * 1024).getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> file().read()).isInstanceOf(TokenFileException.class)
                .hasMessageContaining("10485760 bytes").hasMessageContaining(path.toString());
        assertThat(Files.size(path)).isEqualTo(10 * 1024 * 1024);
    }

    @Test
    void aPathThatIsNotAFileIsAReadErrorNotNoToken() throws Exception {
        Files.createDirectory(dir.resolve(".yoto_refresh_token"));
        assertThatThrownBy(() -> file().read()).isInstanceOf(TokenFileException.class)
                .hasMessageContaining("Cannot read token file");
    }

    @Test
    void leftoversOfAnInterruptedWriteAreRemovedAtStart() throws Exception {
        Files.writeString(dir.resolve(".yoto_refresh_token"), "good");
        Files.writeString(dir.resolve(".yoto_refresh_token.123456.tmp"), "half");
        Files.writeString(dir.resolve("unrelated.tmp"), "keep");
        assertThat(file().removeLeftoverTemporaryFiles()).isEqualTo(1);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(".yoto_refresh_token", "unrelated.tmp");
        }
    }

    @Test
    void deleteRemovesTheFileAndToleratesAbsence() throws Exception {
        file().write("tok");
        file().delete();
        file().delete();
        assertThat(file().read()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{\"refresh_token\":\"v1.from-another-tool\"}",
            "{\n  \"access_token\": \"eyJ.a.b\",\n  \"refresh_token\": \"v1.from-another-tool\",\n  \"expires_in\": 86400\n}\n"})
    void aJsonFileFromOtherYotoToolsGivesItsRefreshTokenAndTheNextWriteIsTheBareToken(String json) throws Exception {
        Files.writeString(path(), json);
        assertThat(file().read()).contains("v1.from-another-tool");
        file().write("v1.rotated");
        assertThat(Files.readString(path())).isEqualTo("v1.rotated\n");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{\"access_token\":\"SECRET-a\"}", "{\"refresh_token\":42}", "{\"refresh_token\":null}",
            "{\"refresh_token\":\"\"}", "{\"refresh_token\":\"SECRET b\"}", "{\"refresh_token\":{\"v\":\"SECRET\"}}",
            "{\"refresh_token\":\"SECRET\"", "{\"refresh_token\":\"SECRET\"}{\"x\":1}", "{SECRET}",
            "[\"SECRET\"]", "\"SECRET\""})
    void jsonWithoutAUsableRefreshTokenIsAClearErrorThatShowsNoContent(String json) throws Exception {
        Files.writeString(path(), json);
        assertThatThrownBy(() -> file().read()).isInstanceOf(TokenFileException.class)
                .hasMessageContaining("Token file " + path())
                .hasMessageContaining("the bare refresh token (as the Python service wrote it)")
                .hasMessageContaining("JSON with a \"refresh_token\" field")
                .satisfies(e -> {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        assertThat(String.valueOf(t.getMessage())).doesNotContain("SECRET");
                    }
                });
        assertThat(Files.readString(path())).isEqualTo(json);
    }

    @Test
    void aUtf8ByteOrderMarkAtTheStartIsIgnored() throws Exception {
        Files.writeString(path(), "\uFEFFv1.saved-by-notepad\r\n");
        assertThat(file().read()).contains("v1.saved-by-notepad");
        Files.writeString(path(), "\uFEFF{\"refresh_token\":\"v1.json-with-bom\"}");
        assertThat(file().read()).contains("v1.json-with-bom");
        Files.writeString(path(), "\uFEFF\n");
        assertThat(file().read()).isEmpty();
    }

    @Test
    void aDirectoryIsRefusedAsSuchForReadingAndWritingAndStays() throws Exception {
        Files.createDirectory(path());
        assertThatThrownBy(() -> file().read()).isInstanceOf(TokenFileException.class)
                .hasMessageContaining("Cannot read token file " + path() + ": it is a directory")
                .hasMessageContaining("YOTO_REFRESH_TOKEN_FILE");
        assertThatThrownBy(() -> file().write("tok")).isInstanceOf(TokenFileException.class)
                .hasMessageContaining("Cannot write token file " + path() + ": it is a directory");
        assertThat(Files.isDirectory(path())).isTrue();
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(path());
        }
    }

    @Test
    void aDeviceIsRefusedBeforeItIsRead() throws Exception {
        Files.createSymbolicLink(path(), Path.of("/dev/zero")); // endless: reading it would never end
        assertThatThrownBy(() -> assertTimeoutPreemptively(Duration.ofSeconds(5), () -> file().read()))
                .isInstanceOf(TokenFileException.class)
                .hasMessageContaining("Cannot read token file " + path())
                .hasMessageContaining("is not a regular file (a device or pipe)");
    }

    @Test
    void aPipeIsRefusedWithoutOpeningItAndIsNotReplacedByAWrite() throws Exception {
        mkfifo(path()); // opening it to read would wait for a writer for ever
        assertThatThrownBy(() -> assertTimeoutPreemptively(Duration.ofSeconds(5), () -> file().read()))
                .isInstanceOf(TokenFileException.class)
                .hasMessageContaining("Cannot read token file " + path())
                .hasMessageContaining("is not a regular file (a device or pipe)");
        assertThatThrownBy(() -> file().write("tok")).isInstanceOf(TokenFileException.class)
                .hasMessageContaining("Cannot write token file " + path())
                .hasMessageContaining("is not a regular file (a device or pipe)");
        assertThat(Files.isRegularFile(path())).as("still the pipe").isFalse();
        assertThat(Files.exists(path())).isTrue();
    }

    @Test
    void aWriteThroughASymbolicLinkReplacesItsTargetAtomicallyAndTheLinkStays() throws Exception {
        Path target = Files.createDirectory(dir.resolve("secrets")).resolve("token");
        Files.writeString(target, "old\n");
        Files.createSymbolicLink(path(), Path.of("secrets/token")); // relative, as Kubernetes volumes make them
        Object inode = Files.readAttributes(target, BasicFileAttributes.class).fileKey();

        file().write("new");

        assertThat(Files.isSymbolicLink(path())).as("the link stays a link").isTrue();
        assertThat(Files.readSymbolicLink(path())).isEqualTo(Path.of("secrets/token"));
        assertThat(Files.readString(target)).isEqualTo("new\n");
        assertThat(Files.readAttributes(target, BasicFileAttributes.class).fileKey()).as("renamed into place, not rewritten")
                .isNotEqualTo(inode);
        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(file().read()).contains("new");
        try (var files = Files.list(target.getParent())) {
            assertThat(files).as("no temporary file left").containsExactly(target);
        }
    }

    @Test
    void aChainOfRelativeLinksIsFollowedEachFromItsOwnDirectory() throws Exception {
        Path target = Files.createDirectories(dir.resolve("volume/real")).resolve("token");
        Files.writeString(target, "old");
        Files.createDirectories(dir.resolve("config/links"));
        Files.createSymbolicLink(dir.resolve("config/links/a"), Path.of("../../volume/real/token"));
        Files.createSymbolicLink(path(), Path.of("config/links/a"));

        assertThat(file().read()).contains("old");
        file().write("new");

        assertThat(Files.isSymbolicLink(path())).isTrue();
        assertThat(Files.isSymbolicLink(dir.resolve("config/links/a"))).isTrue();
        assertThat(Files.readString(target)).isEqualTo("new\n");
    }

    @Test
    void aDanglingLinkMeansNoTokenAndTheWriteCreatesItsTarget() throws Exception {
        Files.createSymbolicLink(path(), dir.resolve("volume/token")); // absolute, into a directory not made yet
        assertThat(file().read()).isEmpty();

        file().write("tok");

        assertThat(Files.isSymbolicLink(path())).isTrue();
        assertThat(Files.readString(dir.resolve("volume/token"))).isEqualTo("tok\n");
        assertThat(file().read()).contains("tok");
    }

    @Test
    void aLoopOfLinksIsAClearErrorAndNothingIsReplaced() throws Exception {
        Files.createSymbolicLink(dir.resolve("other"), path());
        Files.createSymbolicLink(path(), dir.resolve("other"));
        assertThatThrownBy(() -> file().read()).isInstanceOf(TokenFileException.class)
                .hasMessageContaining("Token file " + path()).hasMessageContaining("loop of symbolic links");
        assertThatThrownBy(() -> file().write("tok")).isInstanceOf(TokenFileException.class)
                .hasMessageContaining("Token file " + path()).hasMessageContaining("loop of symbolic links");
        assertThat(Files.isSymbolicLink(path())).isTrue();
        assertThat(Files.isSymbolicLink(dir.resolve("other"))).isTrue();
    }

    @Test
    void aLinkToADirectoryIsRefusedForWritingAndStays() throws Exception {
        Files.createDirectory(dir.resolve("somewhere"));
        Files.createSymbolicLink(path(), dir.resolve("somewhere"));
        assertThatThrownBy(() -> file().write("tok")).isInstanceOf(TokenFileException.class)
                .hasMessageContaining("Cannot write token file " + path() + " (a link to " + dir.toRealPath().resolve("somewhere") + "): it is a directory");
        assertThat(Files.isSymbolicLink(path())).isTrue();
        assertThat(Files.isDirectory(dir.resolve("somewhere"))).isTrue();
    }

    @Test
    void leftoversBesideTheLinksTargetAreRemovedToo() throws Exception {
        Path target = Files.createDirectory(dir.resolve("volume")).resolve("token");
        Files.writeString(target, "good");
        Files.createSymbolicLink(path(), target);
        Files.writeString(dir.resolve("volume/token.123456.tmp"), "half");
        Files.writeString(dir.resolve(".yoto_refresh_token.654321.tmp"), "half, from before the link");
        assertThat(file().removeLeftoverTemporaryFiles()).isEqualTo(2);
        try (var files = Files.list(dir.resolve("volume"))) {
            assertThat(files).containsExactly(target);
        }
        assertThat(Files.exists(dir.resolve(".yoto_refresh_token.654321.tmp"))).isFalse();
    }

    @Test
    void logoutNeverDeletesADirectoryOrAPipe() throws Exception {
        Files.createDirectory(path());
        assertThatThrownBy(() -> file().delete()).isInstanceOf(TokenFileException.class)
                .hasMessageContaining("Cannot delete token file " + path() + ": it is a directory");
        assertThat(Files.isDirectory(path())).isTrue();

        Files.delete(path());
        Path pipe = dir.resolve("pipe");
        mkfifo(pipe);
        Files.createSymbolicLink(path(), pipe);
        assertThatThrownBy(() -> file().delete()).isInstanceOf(TokenFileException.class)
                .hasMessageContaining("Cannot delete token file " + path())
                .hasMessageContaining("it is not a regular file (a device or pipe)");
        assertThat(Files.exists(pipe)).isTrue();
        assertThat(Files.isSymbolicLink(path())).isTrue();
    }

    @Test
    void logoutThroughALinkDeletesTheTokenAndKeepsTheLinkForTheNextLogin() throws Exception {
        Path target = Files.createDirectory(dir.resolve("volume")).resolve("token");
        Files.writeString(target, "tok");
        Files.createSymbolicLink(path(), target);

        file().delete();

        assertThat(Files.exists(target)).isFalse();
        assertThat(Files.isSymbolicLink(path())).as("the operator's link stays").isTrue();
        assertThat(file().read()).isEmpty();
        file().delete(); // already logged out: fine
        file().write("next-login");
        assertThat(Files.readString(target)).isEqualTo("next-login\n");
    }

    @Test
    void aFileOthersCanReadIsMadeOwnerOnlyAndTheChangeIsDescribed() throws Exception {
        Files.writeString(path(), "tok");
        Files.setPosixFilePermissions(path(), PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(file().tightenPermissions())
                .contains("Token file " + path() + " was readable by others (rw-r--r--): now rw------- (owner only)");

        assertThat(Files.getPosixFilePermissions(path())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(file().read()).contains("tok");
        assertThat(file().tightenPermissions()).as("nothing left to do").isEmpty();
    }

    @Test
    void theFileBehindALinkIsTheOneMadeOwnerOnly() throws Exception {
        Path target = Files.createDirectory(dir.resolve("volume")).resolve("token");
        Files.writeString(target, "tok");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-rw----"));
        Files.createSymbolicLink(path(), target);

        assertThat(file().tightenPermissions()).contains("Token file " + path() + " (a link to " + target.toRealPath()
                + ") was readable and writable by others (rw-rw----): now rw------- (owner only)");

        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.isSymbolicLink(path())).isTrue();
    }

    @Test
    void noFileADirectoryOrAnOwnerOnlyFileAreLeftAlone() throws Exception {
        assertThat(file().tightenPermissions()).isEmpty();
        Files.createDirectory(path());
        Files.setPosixFilePermissions(path(), PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(file().tightenPermissions()).isEmpty();
        assertThat(Files.getPosixFilePermissions(path())).isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.delete(path());
        Files.writeString(path(), "tok");
        Files.setPosixFilePermissions(path(), PosixFilePermissions.fromString("r--------"));
        assertThat(file().tightenPermissions()).isEmpty();
        assertThat(Files.getPosixFilePermissions(path())).isEqualTo(PosixFilePermissions.fromString("r--------"));
    }

    @Test
    void theSharedAccessTokenFileBesideItIsMadeOwnerOnlyToo() throws Exception {
        Path shared = dir.resolve(".yoto_access_token");
        Files.writeString(shared, "{}");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw----r--"));

        assertThat(new SharedAccessToken(path()).tightenPermissions())
                .contains("Shared access token file " + shared + " was readable by others (rw----r--): now rw------- (owner only)");

        assertThat(Files.getPosixFilePermissions(shared)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void permissionsThatCannotBeChangedAreSaidWithWhatToDo() throws Exception {
        Files.writeString(path(), "tok");
        Files.setPosixFilePermissions(path(), PosixFilePermissions.fromString("rw-r--r--"));
        Assumptions.assumeTrue(run("chattr", "+i", path().toString()), "chattr +i is not available here"); // stops even root
        try {
            assertThat(file().tightenPermissions()).hasValueSatisfying(message -> assertThat(message)
                    .startsWith("Token file " + path() + " is readable by others (rw-r--r--) and could not be made owner only")
                    .contains("chmod go-rwx " + path()));
        } finally {
            run("chattr", "-i", path().toString());
        }
        assertThat(Files.getPosixFilePermissions(path())).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
    }

    private static boolean run(String... command) throws Exception {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).start().waitFor() == 0;
        } catch (java.io.IOException missing) {
            return false;
        }
    }

    private static void mkfifo(Path fifo) throws Exception {
        Assumptions.assumeTrue(run("mkfifo", fifo.toString()), "mkfifo is not available here");
    }
}
