package io.github.yototokenkeeper.web;

import io.github.yototokenkeeper.oauth.LazyJson;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;
import org.apache.camel.spi.DataFormat;

/**
 * How every answer of the web routes looks: the security headers (one list, also used by Vert.x's own answers), a JSON
 * answer, the way back to the page for a form sent without JavaScript, and a refusal as {@code {"error", "message"}}.
 */
public final class WebAnswers {

    /** On every answer: never cached (it shows the session), never sniffed, never framed, no referrer sent on. */
    public static final Map<String, String> SECURITY_HEADERS = Map.of(
            "Cache-Control", "no-store",
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "no-referrer");
    static final String UNREAD_BODY = "yotoKeeperUnreadBody";

    private final String basePath;
    /**
     * The one JSON data format of every web answer and refusal. Camel makes a data format, and an ObjectMapper, for each
     * {@code marshal().json()} of each route and of each error clause applied to each route: 43 of them, about 0.1 s of
     * CPU at start and a few MB of heap (issue 13). Shared, it is configured exactly as those were, and made at the
     * first answer (/health answers without it).
     */
    private final DataFormat json = LazyJson.writing();

    public WebAnswers(String basePath) {
        this.basePath = basePath;
    }

    /** The JSON data format every web route and error clause marshals with. */
    public DataFormat jsonFormat() {
        return json;
    }

    /** Camel's HTTP header filter, except that our answers may say Cache-Control: no-store and Connection: close. */
    public static HttpHeaderFilterStrategy headerFilter() {
        HttpHeaderFilterStrategy filter = new HttpHeaderFilterStrategy();
        filter.getOutFilter().remove("cache-control");
        filter.getOutFilter().remove("connection");
        return filter;
    }

    /** Headers of a JSON answer; the body is marshalled by the route. Drops whatever headers the steps left behind. */
    public void json(Exchange exchange) {
        start(exchange, "application/json");
    }

    /** A form sent without JavaScript goes back to the page (303). */
    public void redirectToPage(Exchange exchange) {
        start(exchange, null);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 303);
        exchange.getMessage().setHeader("Location", basePath + "/");
        exchange.getMessage().setBody("");
    }

    /** A refusal: this status, headers and the JSON {@code {"error": code, "message": message}} (marshalled by the route). */
    public Map<String, Object> problem(Exchange exchange, int status, String code, String message, Map<String, String> headers) {
        start(exchange, "application/json");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        headers.forEach(exchange.getMessage()::setHeader);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("error", code);
        json.put("message", message);
        return json;
    }

    /** A fresh answer: no header of the request or of the steps, the security headers, this content type. */
    public static void start(Exchange exchange, String contentType) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        if (contentType != null) {
            message.setHeader(Exchange.CONTENT_TYPE, contentType);
        }
        SECURITY_HEADERS.forEach(message::setHeader);
        if (Boolean.TRUE.equals(exchange.getProperty(UNREAD_BODY, Boolean.class))) {
            // the body is never read: end the connection with the answer rather than leave it waiting mid-request
            message.setHeader("Connection", "close");
        }
    }
}
