package io.github.yototokenkeeper.web;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names this keeper answers to when it asks no password: loopback names, IP addresses, RAILWAY_PUBLIC_DOMAIN and
 * KEEPER_ALLOWED_HOSTS. A page on another site that rebinds its own DNS name to the keeper's address (DNS rebinding)
 * is same-origin with it for the browser, but its requests still carry that foreign name in Host, and are refused.
 * An IP address in Host cannot be such a page: its origin would then be the keeper's own.
 */
public final class AllowedHosts {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final Set<String> names;

    public AllowedHosts(List<String> names) {
        this.names = Set.copyOf(names);
    }

    /** Is this Host header (or :authority) one of ours? No header at all is not a browser: allowed. */
    public boolean allows(String host) {
        if (host == null || host.isBlank()) {
            return true;
        }
        String authority = host.strip().toLowerCase(Locale.ROOT);
        if (authority.startsWith("[")) {
            return authority.matches("\\[[0-9a-f:.]+](:\\d+)?"); // an IPv6 address
        }
        String name = authority.replaceFirst(":\\d*$", "").replaceFirst("\\.$", "");
        return IPV4.matcher(name).matches() || name.equals("localhost") || name.endsWith(".localhost") || names.contains(name);
    }

    /** The name without its port, safe to quote in an answer. */
    public static String nameOf(String host) {
        String name = host.strip().replaceFirst(":\\d*$", "");
        String clean = name.replaceAll("[^A-Za-z0-9.\\-\\[\\]:]", "?");
        return clean.length() > 100 ? clean.substring(0, 100) + "..." : clean;
    }
}
