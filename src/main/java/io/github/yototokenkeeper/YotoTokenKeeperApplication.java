package io.github.yototokenkeeper;

import io.github.yototokenkeeper.config.DotEnvFile;
import io.github.yototokenkeeper.config.InvalidSettingException;
import java.io.IOException;
import java.nio.file.Path;
import io.github.yototokenkeeper.embed.YotoTokenKeeper;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The standalone service: Camel Main with the keeper added exactly as a host application adds it. */
public final class YotoTokenKeeperApplication {

    /**
     * The operator's application.properties in the working directory, then the defaults packaged in the jar. Camel
     * takes a key from the first location that has it, so the operator's file overrides the packaged one key by key;
     * a {@code .env} file there comes before both (see {@link DotEnvFile}).
     */
    public static final String PROPERTY_LOCATIONS =
            "file:application.properties;optional=true,classpath:application.properties;optional=true";

    private YotoTokenKeeperApplication() {
    }

    public static void main(String[] args) throws Exception {
        Logger log = LoggerFactory.getLogger("yoto-token-keeper");
        Main main = new Main();
        main.setPropertyPlaceholderLocations(PROPERTY_LOCATIONS);
        // the Python service's settings file: between the environment and application.properties
        DotEnvFile dotEnv;
        try {
            dotEnv = DotEnvFile.read(Path.of(".env"), (line, problem) -> log.warn("Ignoring line {} of .env: {}", line, problem));
        } catch (IOException unreadable) {
            log.error("Not starting: cannot read .env in {}: {}", Path.of("").toAbsolutePath(), unreadable);
            System.exit(2);
            return;
        }
        if (!dotEnv.names().isEmpty()) {
            log.info("Settings read from .env: {}", String.join(", ", dotEnv.names()));
        }
        main.bind("yotoKeeperDotEnv", dotEnv);
        main.configure().addRoutesBuilder(new YotoTokenKeeper());
        try {
            main.run(args);
        } catch (Exception failure) {
            InvalidSettingException invalid = invalidSetting(failure);
            if (invalid == null) {
                throw failure;
            }
            // a configuration mistake is one line that says what to fix, not a stack trace
            log.error("Not starting: {}", invalid.getMessage());
            System.exit(2);
        }
    }

    private static InvalidSettingException invalidSetting(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidSettingException invalid) {
                return invalid;
            }
        }
        return null;
    }
}
