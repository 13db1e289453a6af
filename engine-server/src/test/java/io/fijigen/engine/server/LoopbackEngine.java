package io.fijigen.engine.server;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The engine service on a real Netty server on 127.0.0.1, the demo registry, and a channel to it. */
public final class LoopbackEngine implements AutoCloseable {
    final ResidentModels models;
    final DeviceQueues queue;
    final EngineService service;
    final Server server;
    final ManagedChannel channel;

    public LoopbackEngine(int maxQueue) throws Exception {
        this(Path.of("../models-config/demo.yaml"), maxQueue);
    }

    /** The engine serving the models of {@code registryFile}. */
    public LoopbackEngine(Path registryFile, int maxQueue) throws Exception {
        models = new ResidentModels(new ModelCatalogue(RegistryConfig.read(registryFile)));
        queue = new DeviceQueues(maxQueue);
        service = new EngineService(models, queue);
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(service)
                .build()
                .start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    }

    /** Where a client connects: HOST:PORT. */
    public String address() {
        return "127.0.0.1:" + server.getPort();
    }

    @Override
    public void close() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        queue.close();
        models.close();
    }
}
