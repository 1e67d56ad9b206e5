package io.github.yototokenkeeper.web;

import java.util.regex.Pattern;

/**
 * Which address a request comes from, for counting wrong passwords. The connecting address, unless that is a private
 * one (a proxy in front: Railway's edge, or the operator's own on the same machine): then the nearest public address
 * in X-Forwarded-For, read from the right, because a proxy appends the address it saw and a client can only forge
 * entries to the left of it.
 */
final class ClientAddress {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    private ClientAddress() {
    }

    static String of(String peer, String forwardedFor) {
        if (peer == null || peer.isBlank()) {
            return "unknown";
        }
        if (forwardedFor == null || !isPrivate(peer)) {
            return peer;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (!isIpLiteral(hop)) {
                return peer; // not an address a proxy of ours wrote: trust nothing to its left
            }
            if (!isPrivate(hop)) {
                return hop;
            }
        }
        return peer;
    }

    /** Loopback, private (RFC 1918, RFC 4193), link-local or carrier-grade NAT: an address a proxy of ours may have. */
    static boolean isPrivate(String address) {
        var v4 = IPV4.matcher(address);
        if (v4.matches()) {
            int a = Integer.parseInt(v4.group(1));
            int b = Integer.parseInt(v4.group(2));
            return a == 10 || a == 127 || (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168)
                    || (a == 169 && b == 254) || (a == 100 && b >= 64 && b <= 127);
        }
        String v6 = address.toLowerCase(java.util.Locale.ROOT);
        if (v6.startsWith("::ffff:")) {
            return isPrivate(v6.substring(7));
        }
        return v6.equals("::1") || v6.equals("0:0:0:0:0:0:0:1") || v6.startsWith("fc") || v6.startsWith("fd") || v6.startsWith("fe80:");
    }

    static boolean isIpLiteral(String text) {
        return IPV4.matcher(text).matches() || (text.matches("[0-9A-Fa-f:.]+") && text.indexOf(':') != text.lastIndexOf(':'));
    }
}
