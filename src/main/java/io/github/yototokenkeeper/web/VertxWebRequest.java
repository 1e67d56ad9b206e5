package io.github.yototokenkeeper.web;

import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * The real request headers when platform-http runs on Vert.x. Kept apart so that a host application on another
 * platform-http engine never loads a Vert.x class.
 */
final class VertxRequestHeaders {

    private static final String VERTX_MESSAGE = "org.apache.camel.component.platform.http.vertx.HttpMessage";

    private VertxRequestHeaders() {
    }

    static boolean applies(Exchange exchange) {
        return exchange.getIn().getClass().getName().equals(VERTX_MESSAGE);
    }

    static WebGuard.HeaderLookup of(Exchange exchange) {
        HttpMessage http = (HttpMessage) exchange.getIn();
        // over HTTP/2 (h2c upgrade) the host comes as the :authority pseudo-header, not as Host
        return name -> "Host".equalsIgnoreCase(name) && http.getRequest().authority() != null
                ? http.getRequest().authority().toString()
                : http.getRequest().headers().get(name);
    }
}
