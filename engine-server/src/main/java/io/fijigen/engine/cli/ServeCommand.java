package io.fijigen.engine.cli;

import io.fijigen.engine.hub.HubSettings;
import io.fijigen.engine.runtime.TorchRuntime;
import io.fijigen.engine.server.ConnectionLimits;
import io.fijigen.engine.server.DeviceQueues;
import io.fijigen.engine.server.EngineServer;
import io.fijigen.engine.server.EngineService;
import io.fijigen.engine.server.GracefulStop;
import io.fijigen.engine.server.MetricsEndpoint;
import io.fijigen.engine.server.ModelAdmin;
import io.fijigen.engine.server.ModelCatalogue;
import io.fijigen.engine.server.ModelDevice;
import io.fijigen.engine.server.RegistryConfig;
import io.fijigen.engine.server.ResidentModels;
import io.fijigen.engine.server.ServerSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code fijigen serve}: the engine as a gRPC service for the Fiji plugin and other clients. On
 * SIGTERM it stops taking jobs (health NOT_SERVING), finishes the queued ones within the grace
 * period, then exits.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Serve the engine over gRPC: the models of a registry file, one job at a time per device.")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the model registry (YAML), e.g."
            + " models-config/demo.yaml")
    Path config;

    @Option(names = "--host", defaultValue = ServerSettings.DEFAULT_HOST, description = "address to bind (default"
            + " ${DEFAULT-VALUE}; any other than loopback needs --token-file)")
    String host;

    @Option(names = "--port", defaultValue = "7860", description = "port (default ${DEFAULT-VALUE}; 0 picks a free one)")
    int port;

    @Option(names = "--token-file", paramLabel = "F", description = "a file holding the bearer token clients must send")
    Path tokenFile;

    @Option(names = "--tls-cert", paramLabel = "F", description = "TLS certificate chain (PEM)")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "F", description = "TLS private key (PEM, PKCS#8)")
    Path tlsKey;

    @Option(names = "--tls-client-ca", paramLabel = "F", description = "require client certificates signed by this CA")
    Path tlsClientCa;

    @Option(names = "--max-queue", defaultValue = "8", description = "jobs that may wait behind the running one;"
            + " more are refused with RESOURCE_EXHAUSTED (default ${DEFAULT-VALUE})")
    int maxQueue;

    @Option(names = "--max-message-mib", defaultValue = "64", description = "largest request accepted, in MiB"
            + " (default ${DEFAULT-VALUE}); bigger ones get RESOURCE_EXHAUSTED")
    int maxMessageMib;

    @Option(names = "--max-connections", defaultValue = "" + ConnectionLimits.DEFAULT_MAX_CONNECTIONS,
            description = "connections open at once; more are closed when accepted (default ${DEFAULT-VALUE})")
    int maxConnections;

    @Option(names = "--max-calls-per-connection", defaultValue = "" + ConnectionLimits.DEFAULT_MAX_CALLS_PER_CONNECTION,
            description = "concurrent calls on one connection (default ${DEFAULT-VALUE})")
    int maxCallsPerConnection;

    @Option(names = "--max-health-watches", defaultValue = "" + ConnectionLimits.DEFAULT_MAX_HEALTH_WATCHES_PER_CONNECTION,
            description = "Health.Watch calls open at once on one connection; more get RESOURCE_EXHAUSTED"
                    + " (default ${DEFAULT-VALUE})")
    int maxHealthWatches;

    @Option(names = "--idle-timeout-s", defaultValue = "60", paramLabel = "S",
            description = "close a connection without calls after S seconds (default ${DEFAULT-VALUE})")
    int idleTimeoutSeconds;

    @Option(names = "--handshake-timeout-s", defaultValue = "10", paramLabel = "S",
            description = "close a connection that has not finished TLS and the HTTP/2 preface after S seconds"
                    + " (default ${DEFAULT-VALUE})")
    int handshakeTimeoutSeconds;

    @Option(names = "--metrics-port", defaultValue = "-1", description = "serve Prometheus metrics at"
            + " http://METRICS-HOST:PORT/metrics (default off; 0 picks a free port); with --token-file, scrapes"
            + " must send it as a bearer token")
    int metricsPort;

    @Option(names = "--metrics-host", defaultValue = ServerSettings.DEFAULT_HOST, description = "address for the"
            + " metrics (default ${DEFAULT-VALUE}; any other than loopback needs --token-file)")
    String metricsHost;

    @Option(names = "--device", paramLabel = "cpu|gpu", description = "run every model of the registry there,"
            + " whatever its entry says (default: as each entry says)")
    String device;

    @Option(names = "--exit-on-stdin-close", description = "stop as on SIGTERM when standard input closes: an engine"
            + " that a program started (the Fiji plugin) ends with it, even when that program was killed")
    boolean exitOnStdinClose;

    @Option(names = "--allow-model-admin", description = "answer AddModel and RemoveModel: clients may download"
            + " models from the hub (HF_ENDPOINT, into the hub cache, which must be a root of the registry) and add or"
            + " remove models, rewriting --config. Loopback --host only")
    boolean allowModelAdmin;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (maxMessageMib < 1 || maxMessageMib > 1024) {
            throw new IllegalArgumentException("--max-message-mib " + maxMessageMib + " is outside 1..1024");
        }
        if (allowModelAdmin && !InetAddress.getByName(host).isLoopbackAddress()) {
            // A token keeps strangers out, but admin lets a client make the server download and read files: only
            // the machine's own user (the plugin managing its engine) gets it.
            throw new IllegalArgumentException("--allow-model-admin refuses --host " + host + ": model admin makes the"
                    + " server download and read the files a client names, so it listens on loopback only (--host "
                    + ServerSettings.DEFAULT_HOST + ")");
        }
        ServerSettings settings = ServerSettings.defaults().withHost(host).withPort(port)
                .withMaxMessageBytes(maxMessageMib << 20)
                .withConnectionLimits(connectionLimits());
        if (tokenFile != null) {
            settings = settings.withToken(ServerSettings.readToken(tokenFile));
        }
        if (tlsCert != null || tlsKey != null) {
            settings = settings.withTls(tlsCert, tlsKey);
        }
        if (tlsClientCa != null) {
            settings = settings.withTlsClientCa(tlsClientCa);
        }
        RegistryConfig registry = RegistryConfig.read(config);
        // Where the models model admin adds run: --device's, else the CPU, as an entry that names no device.
        ModelDevice addedModels = ModelDevice.CPU;
        if (device != null) {
            addedModels = ModelDevice.fromConfigName(device).orElseThrow(() ->
                    new IllegalArgumentException("--device " + device + " is not one of " + ModelDevice.configNames()));
            registry = registry.onDevice(addedModels);
        }
        HubSettings hub = null;
        if (allowModelAdmin) {
            hub = FijigenCli.hubSettings(spec);
            // The models admin downloads land in the hub cache: as a root, their entries resolve now and at the
            // next start.
            registry = registry.withRoot(Files.createDirectories(hub.cache()));
        }
        ResidentModels models = new ResidentModels(new ModelCatalogue(registry));
        // A libtorch that cannot load fails the start, not every job once clients are connected.
        TorchRuntime.engine();
        DeviceQueues queue = new DeviceQueues(maxQueue);
        EngineService service = new EngineService(models, queue,
                hub != null ? ModelAdmin.on(models, hub, addedModels) : ModelAdmin.off());
        EngineServer server;
        MetricsEndpoint metrics = null;
        try {
            // Metrics first: if its port is taken, no engine server has started that would need stopping.
            if (metricsPort >= 0) {
                metrics = MetricsEndpoint.start(metricsHost, metricsPort, settings.token(), service.metrics());
            }
            server = EngineServer.start(settings, service);
        } catch (RuntimeException | IOException e) {
            if (metrics != null) {
                metrics.close();
            }
            queue.close();
            models.close();
            throw e;
        }
        ServerSettings bound = settings;
        MetricsEndpoint endpoint = metrics;
        // SIGTERM and SIGINT are handled, not left to shutdown hooks: the drain runs while the JVM is
        // whole (a hook runs after shutdown has begun, when libraries refuse work), and the process
        // then exits 0 from main, as an orchestrator expects of a clean stop, not 143.
        AtomicBoolean stopping = new AtomicBoolean();
        Runnable stopOnce = () -> {
            if (stopping.compareAndSet(false, true)) {
                new Thread(() -> stop(server, queue, models, endpoint, bound), "fijigen-shutdown").start();
            }
        };
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> stopOnce.run());
        }
        if (exitOnStdinClose) {
            stopAtEndOfInput(stopOnce);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("fijigen engine serving %d models on %s:%d (%s, %s)%n", models.catalogue().entries().size(), host, server.port(),
                server.tls() ? "TLS" : "plaintext", tokenFile != null ? "token required" : "no token");
        if (metrics != null) {
            out.printf("metrics at http://%s:%d/metrics%n", metricsHost, metrics.port());
        }
        out.flush();
        server.awaitTermination();
        return 0;
    }

    ConnectionLimits connectionLimits() {
        return new ConnectionLimits(maxConnections, maxCallsPerConnection, maxHealthWatches,
                Duration.ofSeconds(idleTimeoutSeconds), Duration.ofSeconds(handshakeTimeoutSeconds));
    }

    /**
     * The parent's end, however it came: its side of our standard input closes when it exits or is
     * killed, where a SIGTERM from it would need it to live long enough to send one.
     */
    private static void stopAtEndOfInput(Runnable stop) {
        Thread watch = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // What the parent writes means nothing; only the end of input does.
                }
            } catch (IOException e) {
                // A broken pipe is an end too.
            }
            stop.run();
        }, "fijigen-stdin-watch");
        watch.setDaemon(true);
        watch.start();
    }

    /** SIGTERM: {@link GracefulStop} within the grace, then close everything. */
    private static void stop(EngineServer server, DeviceQueues queue, ResidentModels models, MetricsEndpoint metrics,
            ServerSettings settings) {
        GracefulStop.stop(server, queue, settings.shutdownGrace());
        if (metrics != null) {
            metrics.close();
        }
        queue.close();
        models.close();
    }
}
