package io.github.yototokenkeeper.web;

import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.dataformat.JsonLibrary;

/** Every failure of a web route becomes a JSON answer with a fitting status; nothing else reaches the client. */
public class WebErrorHandling extends RouteConfigurationBuilder {

    public static final String ID = "yoto-keeper-web-error-handling";

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(Exception.class).handled(true)
                    .setBody(method(WebBeans.ACTIONS, "problem"))
                    .marshal().json(JsonLibrary.Jackson)
                .end();
    }
}
