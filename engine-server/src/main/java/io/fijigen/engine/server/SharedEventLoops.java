package io.fijigen.engine.server;

import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Netty's threads for every {@link EngineServer} of the process, shared as gRPC shares its default
 * ones: daemon threads, started on first use, never shut down. gRPC needs them given explicitly
 * once the server's listening channel is ours ({@link OpenConnections} sits on it).
 */
final class SharedEventLoops {
    static final EventLoopGroup ACCEPT = new NioEventLoopGroup(1, new DefaultThreadFactory("fijigen-accept", true));
    /** Netty's default size, twice the cores, as gRPC's own. */
    static final EventLoopGroup IO = new NioEventLoopGroup(0, new DefaultThreadFactory("fijigen-io", true));

    private SharedEventLoops() {}
}
