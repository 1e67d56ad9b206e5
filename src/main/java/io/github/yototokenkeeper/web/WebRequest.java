package io.github.yototokenkeeper.web;

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
}
