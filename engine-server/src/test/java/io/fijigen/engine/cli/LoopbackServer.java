package io.fijigen.engine.cli;

import io.fijigen.engine.server.EngineService;
import io.fijigen.engine.server.DeviceQueues;
import io.fijigen.engine.server.ModelRegistry;
import io.fijigen.engine.server.RegistryConfig;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/** An engine server on 127.0.0.1 with the demo registry, and the command line run against it in-process. */
final class LoopbackServer implements AutoCloseable {
    record Run(int exitCode, String out, String err) {}

    private final ModelRegistry registry;
    private final DeviceQueues queue;
    private final Server server;

    LoopbackServer() throws Exception {
        registry = new ModelRegistry(RegistryConfig.read(Path.of("../models-config/demo.yaml")));
        queue = new DeviceQueues(2);
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new EngineService(registry, queue))
                .build()
                .start();
    }

    String address() {
        return "127.0.0.1:" + server.getPort();
    }

    static Run fijigen(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = FijigenCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Override
    public void close() throws Exception {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        queue.close();
        registry.close();
    }
}
