package io.github.yototokenkeeper.web;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * What Vert.x answers before any route of ours runs, as JSON like every other refusal (standalone only: a host keeps
 * its own pages). Unknown paths: 404, from a catch-all route ordered {@code last()}, which Vert.x tries after every
 * other route (even ones added later), so it never shadows one. Malformed requests ({@code GET /%zz}): 400, from error
 * handlers on both routers, instead of Vert.x's plain text and a 40-line ERROR stack trace per request.
 */
public final class JsonFallbackAnswers {

    private JsonFallbackAnswers() {
    }

    public static void install(CamelContext context) {
        // the router is registered under a name with the server's port in it
        VertxPlatformHttpRouter router = context.getPropertiesComponent().resolveProperty("camel.server.port")
                .map(port -> VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(Integer.parseInt(port))))
                .orElse(null);
        if (router == null) {
            return; // another platform-http engine: it keeps its own pages
        }
        router.route().last().handler(routing -> answer(routing, 404, "not_found", "no such page: " + jsonSafe(routing.request().path())));
        Handler<RoutingContext> malformed = routing -> answer(routing, 400, "bad_request", "the request is malformed (an invalid %-escape?)");
        router.errorHandler(400, malformed);
        // a body over camel.server.max-body-size, refused by Vert.x before a route of ours (the proxy) runs
        Handler<RoutingContext> tooLarge = routing -> answer(routing, 413, "payload_too_large", "the request body is too large");
        router.errorHandler(413, tooLarge);
        // the path is decoded by the server's main router, before ours: its errors are handled there
        if (router.getServer().getServer().requestHandler() instanceof Router main) {
            main.errorHandler(400, malformed);
            main.errorHandler(413, tooLarge);
        }
    }

    private static void answer(RoutingContext routing, int status, String code, String message) {
        if (routing.response().ended() || routing.response().headWritten()) {
            return;
        }
        WebAnswers.SECURITY_HEADERS.forEach(routing.response()::putHeader);
        routing.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end("{\"error\":\"" + code + "\",\"message\":\"" + message + "\"}");
    }

    private static String jsonSafe(String path) {
        String clean = path == null ? "" : path.replaceAll("[^A-Za-z0-9/._~-]", "?");
        return clean.length() > 100 ? clean.substring(0, 100) + "..." : clean;
    }
}
