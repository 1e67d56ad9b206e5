package io.github.yototokenkeeper.web;

import java.util.List;
import java.util.Map;

/**
 * What the guard reads of a request: its method, its real HTTP headers (never query parameters, which Camel also maps
 * to message headers) and the address of the client.
 */
public interface WebRequest {

    String method();

    /** A request header by name, case-insensitive; null when absent. */
    String header(String name);

    /** The client's IP address as text (see {@link ClientAddress}), or "unknown". */
    String clientAddress();

    /** Every real request header, in order, one entry per value (for the program API's proxy); none when unknown. */
    default List<Map.Entry<String, String>> headers() {
        return List.of();
    }

    /** The request target as sent: the raw path and query ({@code /api/yoto/x?y=1}), not decoded. */
    default String target() {
        return "/";
    }
}
