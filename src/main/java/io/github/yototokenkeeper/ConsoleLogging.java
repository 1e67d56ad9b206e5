package io.github.yototokenkeeper;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;

/**
 * The standalone service's logging, set up in Java: one console appender, INFO, Vert.x at WARN. Logback's
 * XML configurator loads about 450 classes (a SAX parser, Joran's model and actions) and was a sixth of the service's
 * start (issue 13); logback runs this {@link Configurator} before it, as a service listed only in the fat jar.
 *
 * <p>An operator's own configuration wins: with {@code -Dlogback.configurationFile=...}, or a {@code logback.xml} or
 * {@code logback-test.xml} on the class path, this gives way and logback reads that file as usual. A
 * {@code logback.configurationFile} that leads nowhere gets a warning and this set-up, not logback's DEBUG default.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class ConsoleLogging extends ContextAwareBase implements Configurator {

    /** One line per event: time, level, thread, logger, message. */
    public static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        ClassLoader loader = ConsoleLogging.class.getClassLoader();
        String file = System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY);
        String operators = operatorConfiguration(file, loader);
        if (operators != null) {
            addInfo("Logging configured by " + operators);
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(context);
        if (file != null && !file.isBlank()) {
            // logback would fall back to its DEBUG-everything default, wire lines with tokens included
            context.getLogger("yoto-token-keeper").warn("-D{}={} is neither a URL, a class path resource nor a file:"
                    + " logging as the service does by default", ClassicConstants.CONFIG_FILE_PROPERTY, file);
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** The service's logging (what its logback.xml said until issue 13): INFO and up to the console, Vert.x WARN and up. */
    static void apply(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("CONSOLE");
        console.setEncoder(encoder);
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        context.getLogger("org.apache.camel").setLevel(Level.INFO);
        context.getLogger("org.apache.hc").setLevel(Level.INFO); // its DEBUG lines show request and response bodies
        context.getLogger("io.vertx").setLevel(Level.WARN); // Vert.x's INFO lines repeat what Camel says
    }

    /**
     * What configures logging instead of this class, or null: the {@code logback.configurationFile} system property
     * ({@code configurationFile}) when it leads somewhere the way logback reads it (a URL, a resource of
     * {@code loader}, a file), else a logback-test.xml or logback.xml that {@code loader} finds.
     */
    static String operatorConfiguration(String configurationFile, ClassLoader loader) {
        if (configurationFile != null && !configurationFile.isBlank() && resolves(configurationFile, loader)) {
            return "-D" + ClassicConstants.CONFIG_FILE_PROPERTY + "=" + configurationFile;
        }
        for (String name : new String[] {ClassicConstants.TEST_AUTOCONFIG_FILE, ClassicConstants.AUTOCONFIG_FILE}) {
            if (loader.getResource(name) != null) {
                return name + " on the class path";
            }
        }
        return null;
    }

    private static boolean resolves(String configurationFile, ClassLoader loader) {
        try {
            new URL(configurationFile);
            return true;
        } catch (MalformedURLException notAUrl) {
            return loader.getResource(configurationFile) != null || new File(configurationFile).isFile();
        }
    }
}
