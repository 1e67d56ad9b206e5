package tmpdebug;

import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.junit.jupiter.api.Test;

class MatchDebugTest {
    @Test
    void which() throws Exception {
        try (var ctx = new DefaultCamelContext()) {
            ctx.addRoutes(new RouteConfigurationBuilder() {
                public void configuration() {
                    routeConfiguration("cfg")
                        .onException(SocketTimeoutException.class, NoHttpResponseException.class, SocketException.class).maximumRedeliveries(1).handled(true)
                            .process(e -> System.err.println("AMBIGUOUS clause " + e.getProperty("CamelExceptionCaught"))).end()
                        .onException(ConnectException.class, ConnectTimeoutException.class, UnknownHostException.class, Exception.class).handled(true)
                            .process(e -> System.err.println("GENERAL clause " + e.getProperty("CamelExceptionCaught"))).end();
                }
            });
            ctx.addRoutes(new RouteBuilder() {
                public void configure() {
                    from("direct:a").routeId("a").routeConfigurationId("cfg").process(e -> { throw new SocketException("Connection reset"); });
                    from("direct:b").routeId("b").routeConfigurationId("cfg").process(e -> { throw new SocketTimeoutException("x"); });
                }
            });
            ctx.start();
            ctx.createProducerTemplate().sendBody("direct:a", "x");
            ctx.createProducerTemplate().sendBody("direct:b", "x");
            System.err.println("hierarchy " + ConnectTimeoutException.class.getSuperclass() + " " + ConnectTimeoutException.class.getSuperclass().getSuperclass());
        }
    }
}
