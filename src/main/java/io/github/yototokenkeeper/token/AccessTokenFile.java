package io.github.yototokenkeeper.token;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * YOTO_ACCESS_TOKEN_FILE: every new access token and its expiry, for programs on the same machine or volume, in the
 * replicas' format ({@code {"access_token":..., "expires_at":...}}), written atomically, 0600. A logout, a login Yoto
 * refused for good (REAUTH_REQUIRED) and a start without a login (a file of an earlier run) remove the file: a program
 * reading it then finds no token rather than one the user meant to end or the keeper can no longer renew.
 */
public final class AccessTokenFile implements SessionListener {

    private static final Logger LOG = LoggerFactory.getLogger(TokenSession.LOG_NAME);

    private final SharedAccessToken file;

    public AccessTokenFile(Path path) {
        this.file = SharedAccessToken.at(path);
    }

    public Path path() {
        return file.path();
    }

    @Override
    public void on(SessionEvent event) {
        if (event.accessToken() != null) {
            try {
                file.write(event.accessToken(), event.snapshot().accessTokenExpiresAt());
            } catch (TokenFileException e) {
                LOG.error("Programs reading YOTO_ACCESS_TOKEN_FILE get no new access token: {}", e.getMessage());
            }
        } else if (event.transition() == Transition.LOGGED_OUT || event.transition() == Transition.REFUSED
                || event.transition() == Transition.NO_TOKEN) {
            try {
                Files.deleteIfExists(file.path());
            } catch (IOException e) {
                LOG.error("{}, but the access token file {} could not be removed: {}", event.transition() == Transition.REFUSED
                        ? "Yoto refused the saved login" : "Not logged in", file.path(), e.getClass().getSimpleName());
            }
        }
    }

    /** Made owner only at start when others could read it (a file copied in by hand). */
    public java.util.Optional<String> tightenPermissions() {
        return file.tightenPermissions();
    }
}
