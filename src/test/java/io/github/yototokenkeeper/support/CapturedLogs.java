package io.github.yototokenkeeper.support;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** A logback appender that keeps every formatted line (with its stack trace) for the tests to read and scan. */
public class CapturedLogs extends AppenderBase<ILoggingEvent> {

    public record Line(String level, String logger, String text) {
        @Override
        public String toString() {
            return level + " " + logger + " - " + text;
        }
    }

    private static final List<Line> LINES = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
        String text = event.getFormattedMessage();
        if (event.getThrowableProxy() != null) {
            text += "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
        }
        LINES.add(new Line(event.getLevel().toString(), event.getLoggerName(), text));
    }

    public static List<Line> all() {
        return List.copyOf(LINES);
    }

    /** Lines logged since {@code mark} (a value of {@link #mark()}). */
    public static List<Line> since(int mark) {
        List<Line> all = all();
        return all.subList(Math.min(mark, all.size()), all.size());
    }

    public static int mark() {
        return LINES.size();
    }

    public static String textSince(int mark) {
        return since(mark).stream().map(Line::toString).collect(Collectors.joining("\n"));
    }
}
