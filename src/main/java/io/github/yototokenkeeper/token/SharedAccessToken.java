package io.github.yototokenkeeper.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With several replicas, the leader shares its access token and expiry with the others in a 0600 file beside the
 * refresh token, {@code .yoto_access_token}, written the same atomic way. Followers never refresh; they read this.
 */
public final class SharedAccessToken implements SessionListener {

    public record Shared(String accessToken, Instant expiresAt) {
        @Override
        public String toString() {
            return "Shared[expiresAt=" + expiresAt + "]";
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(TokenSession.LOG_NAME);
    private final Path path;

    public SharedAccessToken(Path refreshTokenFile) {
        this(refreshTokenFile.toAbsolutePath().getParent().resolve(".yoto_access_token"), true);
    }

    private SharedAccessToken(Path path, boolean unused) {
        this.path = path;
    }

    /** The same format and atomic 0600 write, at a path of the operator's choice (YOTO_ACCESS_TOKEN_FILE). */
    public static SharedAccessToken at(Path file) {
        return new SharedAccessToken(file.toAbsolutePath(), true);
    }

    public Path path() {
        return path;
    }

    public void write(String accessToken, Instant expiresAt) throws TokenFileException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("access_token", accessToken);
        json.put("expires_at", expiresAt == null ? null : expiresAt.toString());
        try {
            TokenFile.writeAtomically(path, Json.MAPPER.writeValueAsBytes(json));
        } catch (IOException e) {
            throw new TokenFileException("Cannot write the shared access token " + path + ": " + e.getClass().getSimpleName(), e);
        }
    }

    /** The leader shares every new access token as it comes; a disk that refuses it costs the followers only. */
    @Override
    public void on(SessionEvent event) {
        if (event.accessToken() == null) {
            return;
        }
        try {
            write(event.accessToken(), event.snapshot().accessTokenExpiresAt());
        } catch (TokenFileException e) {
            LOG.error("The other replicas get no access token: {}", e.getMessage());
        }
    }

    /** As {@link TokenFile#tightenPermissions()}: the access token is a login to the Yoto account for a day. */
    public Optional<String> tightenPermissions() {
        return new TokenFile(path).tightenPermissions("Shared access token file");
    }

    /** The leader's access token while it has not expired; empty when there is none (yet). */
    public Optional<Shared> read(Instant now) {
        try {
            JsonNode json = Json.MAPPER.readTree(Files.readAllBytes(path));
            String token = json.path("access_token").asText(null);
            Instant expiresAt = json.hasNonNull("expires_at") ? Instant.parse(json.get("expires_at").asText()) : null;
            if (token == null || (expiresAt != null && !now.isBefore(expiresAt))) {
                return Optional.empty();
            }
            return Optional.of(new Shared(token, expiresAt));
        } catch (NoSuchFileException none) {
            return Optional.empty();
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty(); // being replaced, or not ours: the caller says no token is shared
        }
    }

    /** Made at the first access token written or read: a keeper that starts logged out loads no Jackson (issue 13). */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
}
