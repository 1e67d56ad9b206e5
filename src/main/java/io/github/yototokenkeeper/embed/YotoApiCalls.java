package io.github.yototokenkeeper.embed;

import io.github.yototokenkeeper.config.KeeperSettings;
import io.github.yototokenkeeper.oauth.OAuthClient;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;

/** The steps of {@code direct:yoto-api}: which URL, keeping the request for one retry, and failing on errors. */
public final class YotoApiCalls {

    private static final String REQUEST_BODY = "yotoKeeperApiRequestBody";
    private static final String REQUEST_HEADERS = "yotoKeeperApiRequestHeaders";
    private static final String REQUEST_PATH = "yotoKeeperApiRequestPath";

    private final KeeperSettings settings;
    private final OAuthClient oauth;

    public YotoApiCalls(KeeperSettings settings, OAuthClient oauth) {
        this.settings = settings;
        this.oauth = oauth;
    }

    /** The API URL of this call; camel-http's control headers (CamelHttpUri, ...) of the host's exchange are ignored. */
    public String uri(Exchange exchange) {
        String path = exchange.getMessage().getHeader(YotoEndpoints.API_PATH, String.class);
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("set the " + YotoEndpoints.API_PATH + " header to the Yoto API path, such as /card/family/library");
        }
        String method = exchange.getMessage().getHeader(YotoEndpoints.API_METHOD, "GET", String.class);
        return oauth.endpoint(settings.apiUrl().toString().replaceAll("/+$", "") + path, method);
    }

    /**
     * What {@code direct:yoto-api} hands back: the host's exchange with its own headers as it left them, the answer's
     * headers added (never an {@code Authorization}), the answer's body; or the call's failure. Nothing else of the
     * call (its bearer token, its properties) reaches the host's exchange.
     */
    public static Exchange answerOnHostExchange(Exchange host, Exchange call) {
        if (call.getException() != null) {
            host.setException(call.getException());
            return host;
        }
        call.getMessage().getHeaders().forEach((name, value) -> {
            if (!"Authorization".equalsIgnoreCase(name)) {
                host.getMessage().setHeader(name, value);
            }
        });
        host.getMessage().setBody(call.getMessage().getBody());
        return host;
    }

    public void saveRequest(Exchange exchange) {
        exchange.setProperty(REQUEST_PATH, exchange.getMessage().getHeader(YotoEndpoints.API_PATH, String.class));
        exchange.setProperty(REQUEST_BODY, exchange.getMessage().getBody());
        exchange.setProperty(REQUEST_HEADERS, new HashMap<>(exchange.getMessage().getHeaders()));
    }

    /** Before the retry: the request as the host made it, not the 401 answer. */
    @SuppressWarnings("unchecked")
    public void restoreRequest(Exchange exchange) {
        exchange.getMessage().setHeaders(new HashMap<>(exchange.getProperty(REQUEST_HEADERS, Map.class)));
        exchange.getMessage().setBody(exchange.getProperty(REQUEST_BODY));
    }

    /** Like camel-http by default: an answer other than 2xx fails the exchange, for the host's error handler. */
    public void failUnlessSuccessful(Exchange exchange) throws HttpOperationFailedException {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status < 200 || status >= 300) {
            String uri = settings.apiUrl().toString().replaceAll("/+$", "") + exchange.getProperty(REQUEST_PATH, String.class);
            throw new HttpOperationFailedException(uri, status, exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_TEXT, String.class),
                    null, null, exchange.getMessage().getBody(String.class));
        }
    }
}
