package io.github.yototokenkeeper.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Ordered;
import org.apache.camel.spi.PropertiesSource;

/**
 * The {@code .env} file in the working directory, where the earlier Python service kept its settings
 * ({@code YOTO_CLIENT_ID=...}): read as python-dotenv reads it ({@code export}, quotes, comments), so a migrated
 * deployment keeps them. A property source ahead of the operator's application.properties: a variable's value comes
 * from the environment, then .env, then application.properties, then the default. Values are never logged.
 */
public final class DotEnvFile implements PropertiesSource, Ordered {

    /** Ahead of the property files, which Camel orders from 100 on. */
    static final int ORDER = 50;
    private static final Pattern LINE = Pattern.compile("\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\\s*=\\s*(.*)");

    private final Map<String, String> values;

    private DotEnvFile(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /**
     * Reads {@code file}; a missing file holds nothing. A line that is not {@code NAME=value} is skipped and reported
     * to {@code problem} with its line number (never its content: it may hold a secret).
     */
    public static DotEnvFile read(Path file, BiConsumer<Integer, String> problem) throws IOException {
        try {
            return new DotEnvFile(parse(Files.readAllLines(file, StandardCharsets.UTF_8), problem));
        } catch (NoSuchFileException absent) {
            return new DotEnvFile(Map.of());
        }
    }

    static Map<String, String> parse(List<String> lines, BiConsumer<Integer, String> problem) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = i == 0 && lines.get(0).startsWith("\uFEFF") ? lines.get(0).substring(1) : lines.get(i);
            if (line.isBlank() || line.strip().startsWith("#")) {
                continue;
            }
            Matcher matcher = LINE.matcher(line);
            String value = matcher.matches() ? value(matcher.group(2)) : null;
            if (value == null) {
                problem.accept(i + 1, matcher.matches() ? "a quote is not closed" : "not NAME=value");
                continue;
            }
            values.put(matcher.group(1), value);
        }
        return values;
    }

    /** 'single': as written; "double": with \n, \t, \" and \\ escapes; bare: trimmed, up to a " #" comment. */
    private static String value(String raw) {
        String text = raw.strip();
        if (text.startsWith("'")) {
            int end = text.indexOf('\'', 1);
            return end < 0 ? null : text.substring(1, end);
        }
        if (text.startsWith("\"")) {
            StringBuilder value = new StringBuilder();
            for (int i = 1; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\' && i + 1 < text.length()) {
                    char next = text.charAt(++i);
                    value.append(switch (next) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        default -> next;
                    });
                } else {
                    value.append(c);
                }
            }
            return null;
        }
        int comment = text.indexOf(" #");
        return (comment < 0 ? text : text.substring(0, comment)).strip();
    }

    /** The names set in the file, for the start-up report (never the values). */
    public List<String> names() {
        return values.keySet().stream().sorted().toList();
    }

    @Override
    public String getName() {
        return ".env";
    }

    @Override
    public String getProperty(String name) {
        return values.get(name);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
