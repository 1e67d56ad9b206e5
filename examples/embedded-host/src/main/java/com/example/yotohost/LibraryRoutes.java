package com.example.yotohost;

import io.github.yototokenkeeper.embed.YotoEndpoints;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.dataformat.JsonLibrary;

/** The host's own routes: read the family's card library from the Yoto API every hour. */
public class LibraryRoutes extends RouteBuilder {

    @Override
    public void configure() {
        // the host's own error handling, for the host's routes (the keeper's routes handle their own failures)
        onException(Exception.class).handled(true)
                .log(LoggingLevel.WARN, "family-library", "Library not read: ${exception.message}")
                .setBody(constant("unavailable"));

        from("timer:family-library?delay={{library.delay-ms:10000}}&period={{library.period-ms:3600000}}")
                .routeId("family-library-timer")
                .to("direct:family-library");

        from("direct:family-library")
                .routeId("family-library")
                .setHeader(YotoEndpoints.API_PATH, constant("/card/family/library"))
                .to(YotoEndpoints.API) // bearer token, refreshed first when due; one refresh and retry on a 401
                .unmarshal().json(JsonLibrary.Jackson)
                .log("The family library has ${body[cards].size()} cards");
    }
}
