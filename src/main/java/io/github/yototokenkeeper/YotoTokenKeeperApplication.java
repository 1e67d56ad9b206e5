package io.github.yototokenkeeper;

import io.github.yototokenkeeper.config.InvalidSettingException;
import io.github.yototokenkeeper.embed.YotoTokenKeeper;
import org.apache.camel.main.Main;
import org.slf4j.LoggerFactory;

/** The standalone service: Camel Main with the keeper added exactly as a host application adds it. */
public final class YotoTokenKeeperApplication {

    /**
     * The operator's application.properties in the working directory, then the defaults packaged in the jar. Camel
     * takes a key from the first location that has it, so the operator's file overrides the packaged one key by key.
     */
    public static final String PROPERTY_LOCATIONS =
            "file:application.properties;optional=true,classpath:application.properties;optional=true";

    private YotoTokenKeeperApplication() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        main.setPropertyPlaceholderLocations(PROPERTY_LOCATIONS);
        main.configure().addRoutesBuilder(new YotoTokenKeeper());
        try {
            main.run(args);
        } catch (Exception failure) {
            InvalidSettingException invalid = invalidSetting(failure);
            if (invalid == null) {
                throw failure;
            }
            // a configuration mistake is one line that says what to fix, not a stack trace
            LoggerFactory.getLogger("yoto-token-keeper").error("Not starting: {}", invalid.getMessage());
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
