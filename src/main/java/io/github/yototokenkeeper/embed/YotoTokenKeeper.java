package io.github.yototokenkeeper.embed;

import org.apache.camel.builder.RouteBuilder;

/**
 * The whole keeper, for any Camel context: the standalone service starts it, and so does a host application with one
 * line ({@code context.addRoutes(new YotoTokenKeeper())}, or {@code main.configure().addRoutesBuilder(...)}) or one
 * property ({@code camel.main.routes-builder-classes = io.github.yototokenkeeper.embed.YotoTokenKeeper}).
 * Settings come from the context's properties under {@code yoto.keeper.}; the web routes join the application's
 * platform-http server when it has one, under {@code yoto.keeper.web-path} (default /yoto-keeper).
 */
public class YotoTokenKeeper extends RouteBuilder {

    @Override
    public void configure() throws Exception {
        KeeperAssembly.assemble(getContext());
    }
}
