package io.github.yototokenkeeper.web;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * The request itself when platform-http runs on Vert.x: its real headers and the connecting address. Kept apart so
 * that a host application on another platform-http engine never loads a Vert.x class.
 */
final class VertxWebRequest {

    private static final String VERTX_MESSAGE = "org.apache.camel.component.platform.http.vertx.HttpMessage";

    private VertxWebRequest() {
    }

    static boolean applies(Exchange exchange) {
        return exchange.getIn().getClass().getName().equals(VERTX_MESSAGE);
    }

    /**
     * When the client sent a body (which the keeper's routes never read), the connection ends with the answer: left
     * open, it would wait mid-request for good. Answers true when it will.
     */
    static boolean closeAfterAnswerIfBodyUnread(Exchange exchange) {
        HttpMessage message = (HttpMessage) exchange.getIn();
        HttpServerRequest request = message.getRequest();
        String length = request.getHeader("Content-Length");
        if (request.version() == HttpVersion.HTTP_2
                || (request.getHeader("Transfer-Encoding") == null && (length == null || length.strip().equals("0")))) {
            return false; // HTTP/2 ends the one stream; its connection serves others
        }
        message.getResponse().endHandler(written -> request.connection().close());
        return true;
    }

    static WebRequest of(Exchange exchange) {
        HttpServerRequest request = ((HttpMessage) exchange.getIn()).getRequest();
        return new WebRequest() {
            @Override
            public String method() {
                return request.method().name();
            }

            @Override
            public String header(String name) {
                // over HTTP/2 (h2c upgrade) the host comes as the :authority pseudo-header, not as Host
                return "Host".equalsIgnoreCase(name) && request.authority() != null ? request.authority().toString() : request.headers().get(name);
            }

            @Override
            public List<Map.Entry<String, String>> headers() {
                return request.headers().entries();
            }

            @Override
            public String target() {
                return request.uri();
            }

            @Override
            public String clientAddress() {
                String peer = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
                var forwarded = request.headers().getAll("X-Forwarded-For");
                return ClientAddress.of(peer, forwarded.isEmpty() ? null : String.join(",", forwarded));
            }
        };
    }
}
