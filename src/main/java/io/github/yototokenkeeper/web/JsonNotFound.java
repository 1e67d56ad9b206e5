package io.github.yototokenkeeper.web;

import io.vertx.core.http.HttpHeaders;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Unknown paths answer 404 as JSON, like every other refusal. A catch-all Vert.x route ordered {@code last()}, which
 * Vert.x tries after every other route (even ones added later), so it never shadows a route.
 */
public final class JsonNotFound {

    private JsonNotFound() {
    }

    public static void install(CamelContext context) {
        // the router is registered under a name with the server's port in it
        VertxPlatformHttpRouter router = context.getPropertiesComponent().resolveProperty("camel.server.port")
                .map(port -> VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(Integer.parseInt(port))))
                .orElse(null);
        if (router == null) {
            return; // another platform-http engine: it keeps its own 404 page
        }
        router.route().last().handler(routing -> routing.response().setStatusCode(404)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader("Cache-Control", "no-store")
                .putHeader("X-Content-Type-Options", "nosniff")
                .end("{\"error\":\"not_found\",\"message\":\"no such page: " + jsonSafe(routing.request().path()) + "\"}"));
    }

    private static String jsonSafe(String path) {
        String clean = path == null ? "" : path.replaceAll("[^A-Za-z0-9/._~-]", "?");
        return clean.length() > 100 ? clean.substring(0, 100) + "..." : clean;
    }
}
