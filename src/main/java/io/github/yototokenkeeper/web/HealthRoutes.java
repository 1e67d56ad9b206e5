package io.github.yototokenkeeper.web;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/** Liveness for Railway's health check: 200 as soon as the HTTP server is up, whatever the login state. */
public class HealthRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("platform-http:/health?httpMethodRestrict=GET")
                .routeId("yoto-keeper-web-health")
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .setBody(constant("{\"status\":\"UP\"}"));
    }
}
