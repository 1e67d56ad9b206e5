package io.github.yototokenkeeper.token;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The refresh token on disk: the bare token as plain text, the format the earlier Python service wrote. A JSON file
 * with a {@code refresh_token} field, as other Yoto tools save it, is read too; the next write replaces it with the
 * bare token.
 *
 * <p>Written by hand rather than with Camel's file producer because that producer deletes the existing file before it
 * renames its temporary file into place (GenericFileProducer, {@code eagerDeleteTargetFile}), and fsyncs neither the
 * directory nor, on rename failure, avoids a copy: a crash in between would leave no token at all. Here the new token
 * is written to a 0600 temporary file in the same directory, fsynced, renamed atomically over the old one and the
 * directory fsynced: after a crash the file holds the old token or the new one, never a part of either.
 *
 * <p>A token file that is a symbolic link (Kubernetes volumes are made of them) is written through: the file at the
 * end of the links is replaced that way, in its own directory, and the links stay, as they are the operator's setup.
 */
public final class TokenFile {

    /** Tokens are opaque and may be JWTs of a few kilobytes; a file much larger than that is not a token file. */
    static final int MAX_BYTES = 16 * 1024;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_PERMISSIONS = PosixFilePermissions.fromString("rwx------");
    private static final String BYTE_ORDER_MARK = "\uFEFF";
    private static final String FORMATS =
            "it must hold the bare refresh token (as the Python service wrote it) or JSON with a \"refresh_token\" field";
    private static final String NOT_A_FILE_HINT =
            "Set YOTO_REFRESH_TOKEN_FILE to the path of a regular file (the keeper creates it at login)";
    /** Longer chains of links are taken for a loop, as Linux does (MAXSYMLINKS). */
    private static final int MAX_LINKS = 40;
    private static final String MOVE_HINT = "set YOTO_REFRESH_TOKEN_FILE to a writable path (on Railway, attach a volume at /data)";

    private final Path path;

    public TokenFile(Path path) {
        this.path = path.toAbsolutePath().normalize();
    }

    public Path path() {
        return path;
    }

    /**
     * The refresh token in the file, trimmed, or its JSON {@code refresh_token} field; empty when there is no file or it
     * holds only white space (logged out).
     *
     * @throws TokenFileException when the file exists but cannot be read or does not hold a token: never "no token"
     */
    public Optional<String> read() throws TokenFileException {
        Path target = target();
        byte[] bytes;
        try {
            Optional<BasicFileAttributes> file = regularFile(target, "read");
            if (file.isEmpty()) {
                return Optional.empty();
            }
            long size = file.get().size();
            if (size > MAX_BYTES) {
                throw new TokenFileException("Token file " + path + " is " + size + " bytes, far larger than a refresh token (at most "
                        + MAX_BYTES + " bytes): not reading it. Check the file, or log in again to replace it");
            }
            bytes = Files.readAllBytes(target);
        } catch (NoSuchFileException absent) {
            return Optional.empty();
        } catch (AccessDeniedException denied) {
            throw new TokenFileException("Cannot read token file " + named(target) + ": permission denied (the keeper needs to read and write it)", denied);
        } catch (IOException e) {
            throw new TokenFileException("Cannot read token file " + named(target) + ": " + e, e);
        }
        String text = text(bytes);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String token = looksLikeJson(text) ? refreshTokenField(text) : text;
        if (!isTokenText(token)) {
            throw new TokenFileException("Token file " + path + " does not hold a single token: it has white space or control characters"
                    + " inside it. It must hold the bare refresh token only (as the Python service wrote it)");
        }
        return Optional.of(token);
    }

    /** Strict UTF-8, stripped, without the byte-order mark Windows editors put at the start (it is not white space). */
    private String text(byte[] bytes) throws TokenFileException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException notText) {
            throw new TokenFileException("Token file " + path + " does not hold text (binary content?): " + FORMATS + ". Log in again to replace it");
        }
        return (text.startsWith(BYTE_ORDER_MARK) ? text.substring(1) : text).strip();
    }

    /** A bare token never starts with these: sending such a file verbatim would only earn an invalid_grant. */
    private static boolean looksLikeJson(String text) {
        return text.startsWith("{") || text.startsWith("[") || text.startsWith("\"");
    }

    /** Other Yoto tools save {"refresh_token": ...}: the token is that field, the rest of the JSON is not ours. */
    private String refreshTokenField(String json) throws TokenFileException {
        JsonNode field;
        try {
            field = Json.MAPPER.readTree(json).path("refresh_token");
        } catch (JsonProcessingException notJson) {
            throw unusable("looks like JSON but is not valid JSON"); // not chained: the parser's message quotes the content
        }
        if (field.isMissingNode() || field.isNull()) {
            throw unusable("holds JSON without a \"refresh_token\" field");
        }
        if (!field.isTextual()) {
            throw unusable("holds JSON whose \"refresh_token\" is not a string");
        }
        if (field.textValue().isEmpty()) {
            throw unusable("holds JSON whose \"refresh_token\" is empty");
        }
        if (!isTokenText(field.textValue())) {
            throw unusable("holds JSON whose \"refresh_token\" has white space or control characters inside it");
        }
        return field.textValue();
    }

    private TokenFileException unusable(String problem) {
        return new TokenFileException("Token file " + path + " " + problem + ": " + FORMATS + ". Log in again to replace it");
    }

    /** RFC 6749 appendix A: a token is visible ASCII; white space inside means the file holds something else. */
    static boolean isTokenText(String text) {
        return text.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    /**
     * Replaces the token durably and atomically (see the class comment). The old file stays as it was if anything fails.
     */
    public void write(String refreshToken) throws TokenFileException {
        if (refreshToken == null || !isTokenText(refreshToken)) {
            throw new IllegalArgumentException("not a refresh token (empty, or white space inside)");
        }
        Path target = target();
        try {
            regularFile(target, "write");
        } catch (IOException unknown) {
            // the write itself reports why the file system refuses
        }
        writeAtomically(target, (refreshToken + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The attributes of the regular file at {@code file}, empty when nothing is there. Anything else is refused before
     * it is opened or replaced: opening a pipe waits for a writer for ever, a device never ends, a directory is not ours.
     */
    private Optional<BasicFileAttributes> regularFile(Path target, String doing) throws IOException, TokenFileException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(target, BasicFileAttributes.class);
        } catch (NoSuchFileException absent) {
            return Optional.empty();
        }
        if (attributes.isDirectory()) {
            throw notAFile(target, doing, "it is a directory");
        }
        if (!attributes.isRegularFile()) {
            throw notAFile(target, doing, "it is not a regular file (a device or pipe)");
        }
        return Optional.of(attributes);
    }

    private TokenFileException notAFile(Path target, String doing, String what) {
        return new TokenFileException("Cannot " + doing + " token file " + named(target) + ": " + what + ". " + NOT_A_FILE_HINT);
    }

    /**
     * The file that holds the token: the path itself, or the end of its chain of symbolic links (Kubernetes mounts
     * secrets and config maps as links), which need not exist yet. Followed on every use: the operator may move it.
     */
    Path target() throws TokenFileException {
        Path file = path;
        for (int links = 0; Files.isSymbolicLink(file); links++) {
            if (links == MAX_LINKS) {
                throw new TokenFileException("Token file " + path + " is a loop of symbolic links (or a chain of more than "
                        + MAX_LINKS + "): point YOTO_REFRESH_TOKEN_FILE, or the last link, at a regular file");
            }
            try {
                file = linkTarget(file);
            } catch (IOException e) {
                throw new TokenFileException("Cannot follow the symbolic link " + file + " to the token file " + path + ": " + e, e);
            }
        }
        return file;
    }

    /** A relative link is read from the link's own directory; the directory is named by its real path when it exists. */
    private static Path linkTarget(Path link) throws IOException {
        Path target = link.resolveSibling(Files.readSymbolicLink(link));
        Path directory = target.getParent();
        return directory != null && Files.isDirectory(directory)
                ? directory.toRealPath().resolve(target.getFileName())
                : target;
    }

    /** The path as configured, and where it leads when that is elsewhere. */
    private String named(Path target) {
        return target.equals(path) ? path.toString() : path + " (a link to " + target + ")";
    }

    /** Temporary 0600 file in the same directory, fsync, atomic rename, fsync of the directory. */
    static void writeAtomically(Path path, byte[] content) throws TokenFileException {
        Path directory = path.getParent();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new TokenFileException("Cannot create directory " + directory + " for the token file " + path + " (" + e
                    + "): " + MOVE_HINT, e);
        }
        Path temporary = null;
        try {
            temporary = Files.createTempFile(directory, path.getFileName() + ".", ".tmp", ownerOnly(directory));
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(content);
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temporary = null;
            syncDirectory(directory);
        } catch (AccessDeniedException denied) {
            throw new TokenFileException("Cannot write token file " + path + ": permission denied on " + denied.getFile() + "; " + MOVE_HINT, denied);
        } catch (FileSystemException e) {
            String busy = e.getReason() != null && e.getReason().contains("busy")
                    ? " (a single file bind-mounted into a container cannot be replaced: mount its directory instead)" : "";
            throw new TokenFileException("Cannot write token file " + path + ": " + e.getReason() + busy, e);
        } catch (IOException e) {
            throw new TokenFileException("Cannot write token file " + path + ": " + e, e);
        } finally {
            deleteQuietly(temporary);
        }
    }

    /**
     * Logging out: the token is gone for good. A file that is already absent is fine. Only a regular file is deleted:
     * through a link, the file that holds the token goes and the link stays for the next login to write through.
     */
    public void delete() throws TokenFileException {
        Path target = target();
        try {
            if (regularFile(target, "delete").isPresent()) {
                Files.deleteIfExists(target);
                syncDirectory(target.getParent());
            }
        } catch (IOException e) {
            throw new TokenFileException("Cannot delete token file " + named(target) + ": " + e, e);
        }
    }

    /**
     * Takes from an existing token file (the file at the end of its links) every permission its group and others have:
     * the refresh token is a login to the Yoto account. The keeper writes its files 0600, but an operator may have
     * copied one in. Answers what it changed, or why it could not, for a warning; empty when there was nothing to do.
     */
    public Optional<String> tightenPermissions() {
        return tightenPermissions("Token file");
    }

    Optional<String> tightenPermissions(String label) {
        Path target;
        Set<PosixFilePermission> before;
        try {
            target = target();
            PosixFileAttributes attributes = Files.readAttributes(target, PosixFileAttributes.class);
            if (!attributes.isRegularFile()) {
                return Optional.empty(); // reading it says what is wrong
            }
            before = attributes.permissions();
        } catch (TokenFileException | IOException | UnsupportedOperationException absentOrNotPosix) {
            return Optional.empty();
        }
        Set<PosixFilePermission> ownerOnly = new HashSet<>(before);
        ownerOnly.retainAll(OWNER_PERMISSIONS);
        if (ownerOnly.equals(before)) {
            return Optional.empty();
        }
        String file = label + " " + named(target);
        String open = exposure(before) + " (" + PosixFilePermissions.toString(before) + ")";
        try {
            Files.setPosixFilePermissions(target, ownerOnly);
        } catch (IOException e) {
            return Optional.of(file + " is " + open + " and could not be made owner only (" + e + "): run chmod go-rwx " + target);
        }
        return Optional.of(file + " was " + open + ": now " + PosixFilePermissions.toString(ownerOnly) + " (owner only)");
    }

    private static String exposure(Set<PosixFilePermission> permissions) {
        boolean readable = permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ);
        boolean writable = permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE);
        return readable && writable ? "readable and writable by others"
                : readable ? "readable by others"
                : writable ? "writable by others"
                : "open to others";
    }

    /**
     * Removes temporary files a killed process left beside the token file, so they never fill a volume. They are never
     * read back: a temporary file that was not renamed was not (fully) written.
     */
    public int removeLeftoverTemporaryFiles() {
        int removed = removeLeftoversBeside(path);
        try {
            Path target = target();
            if (!target.equals(path)) {
                removed += removeLeftoversBeside(target); // the temporary files of a write through a link
            }
        } catch (TokenFileException unfollowable) {
            // reading the token reports it
        }
        return removed;
    }

    private static int removeLeftoversBeside(Path path) {
        int removed = 0;
        Path directory = path.getParent();
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(directory, path.getFileName() + ".*.tmp")) {
            for (Path leftover : leftovers) {
                if (Files.deleteIfExists(leftover)) {
                    removed++;
                }
            }
        } catch (IOException ignored) {
            // best effort: a leftover costs only an inode
        }
        return removed;
    }

    private static FileAttribute<?>[] ownerOnly(Path directory) {
        return Files.getFileAttributeView(directory, java.nio.file.attribute.PosixFileAttributeView.class) == null
                ? new FileAttribute<?>[0]
                : new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)};
    }

    /** Makes the rename itself durable (POSIX); file systems that cannot open a directory are skipped. */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            // e.g. Windows: the rename is still atomic there
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temporary file is removed at the next start
            }
        }
    }

    /** Made when a JSON token file is first read: a bare token file never loads Jackson (issue 13: start). */
    private static final class Json {
        /** Trailing content after the JSON object means the file is not what it seems: refused rather than half read. */
        static final ObjectMapper MAPPER = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    }
}
