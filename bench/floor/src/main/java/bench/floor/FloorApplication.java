package bench.floor;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;

/** The benchmark's floor: a bare Camel Main serving one /health route on platform-http (Vert.x). */
public final class FloorApplication {

    private FloorApplication() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/health").routeId("health")
                        .setHeader("Content-Type", constant("application/json"))
                        .setBody(constant("{\"status\":\"UP\"}"));
            }
        });
        main.run(args);
    }
}
