package io.fijigen.plugin;

import io.fijigen.engine.hub.HubSettings;
import io.fijigen.engine.server.DeviceQueues;
import io.fijigen.engine.server.EngineServer;
import io.fijigen.engine.server.EngineService;
import io.fijigen.engine.server.ModelAdmin;
import io.fijigen.engine.server.ModelCatalogue;
import io.fijigen.engine.server.ModelDevice;
import io.fijigen.engine.server.RegistryConfig;
import io.fijigen.engine.server.ResidentModels;
import io.fijigen.engine.server.ServerSettings;
import io.fijigen.plugin.client.Connection;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The engine's own server, in-process on 127.0.0.1 (a free port), with the demo registry of tiny
 * models: what the plugin's tests talk to, over real gRPC.
 */
public final class LoopbackServer implements AutoCloseable {
    /** The demo registry, relative to the module's folder (surefire's working directory). */
    static final Path DEMO_REGISTRY = Path.of("../models-config/demo.yaml");

    private final ResidentModels models;
    private final DeviceQueues queues;
    private final EngineService service;
    private final EngineServer server;

    /** Without a token. */
    public LoopbackServer() throws Exception {
        this((String) null);
    }

    /** Asking for {@code token} on every Engine call; null: none. */
    public LoopbackServer(String token) throws Exception {
        this(token, 8);
    }

    /** As {@link #LoopbackServer(String)}, refusing a job when {@code maxWaiting} jobs wait for its device. */
    public LoopbackServer(String token, int maxWaiting) throws Exception {
        this(DEMO_REGISTRY, token, maxWaiting, null);
    }

    /** Serving the models of {@code registry}, without a token. */
    public LoopbackServer(Path registry) throws Exception {
        this(registry, null, 8, null);
    }

    /** Serving {@code registry} with model admin on (as serve --allow-model-admin), downloading from {@code hub}. */
    public static LoopbackServer withModelAdmin(Path registry, HubSettings hub) throws Exception {
        return new LoopbackServer(registry, null, 8, hub);
    }

    /** @param hub null: model admin off */
    private LoopbackServer(Path registry, String token, int maxWaiting, HubSettings hub) throws Exception {
        models = new ResidentModels(new ModelCatalogue(RegistryConfig.read(registry)));
        queues = new DeviceQueues(maxWaiting);
        ServerSettings settings = ServerSettings.defaults()
                .withHost("127.0.0.1")
                .withPort(0)
                .withShutdownGrace(Duration.ofSeconds(2));
        if (token != null) {
            settings = settings.withToken(token);
        }
        service = new EngineService(models, queues,
                hub == null ? ModelAdmin.off() : ModelAdmin.on(models, hub, ModelDevice.CPU));
        server = EngineServer.start(settings, service);
    }

    /** A plaintext connection to this server, without a token. */
    public Connection connection() {
        return Connection.plaintext("127.0.0.1", server.port());
    }

    /** The engine's metrics now, in Prometheus' text format. */
    public String metrics() {
        return service.metrics().text();
    }

    @Override
    public void close() throws Exception {
        server.close();
        queues.close();
        models.close();
    }
}
