package io.fijigen.engine.server;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's gRPC server: the services it is given (the Engine), behind a bearer token when one
 * is set, over TLS when a certificate is set, plus the standard health and reflection services
 * (reachable without a token, see {@link BearerTokenInterceptor}).
 *
 * <p>Stopping is two steps so a load balancer can move traffic away first: {@link #drain()} turns
 * health NOT_SERVING while calls are still answered, {@link #shutdown()} then stops taking calls and
 * lets running ones finish. Installing a JVM shutdown hook is the command line's business.
 */
public final class EngineServer implements AutoCloseable {
    /** Largest request metadata (headers) accepted. */
    static final int MAX_METADATA_BYTES = 16 << 10;
    private static final Logger LOG = LoggerFactory.getLogger(EngineServer.class);

    private final Server server;
    private final HealthStatusManager health;
    private final boolean tls;
    private final Duration shutdownGrace;
    private final AtomicBoolean drained = new AtomicBoolean();

    private EngineServer(Server server, HealthStatusManager health, boolean tls, Duration shutdownGrace) {
        this.server = server;
        this.health = health;
        this.tls = tls;
        this.shutdownGrace = shutdownGrace;
    }

    /**
     * Binds and starts serving {@code services}; each is reported SERVING by the health service
     * under its full name (e.g. {@code fijigen.v1.Engine}), as is the server as a whole ("").
     *
     * @throws IllegalArgumentException when the host is not a loopback address and no token is set
     * @throws IOException when the address cannot be bound or the TLS files cannot be read
     */
    public static EngineServer start(ServerSettings settings, BindableService... services) throws IOException {
        InetAddress address = InetAddress.getByName(settings.host());
        boolean loopback = address.isLoopbackAddress();
        if (!loopback && settings.token() == null) {
            // TLS alone does not help: it hides the traffic, but anyone who can connect can still run jobs.
            throw new IllegalArgumentException("refusing to listen on " + settings.host()
                    + " without a token: anyone who can reach it could use the engine. Set one with"
                    + " --token-file F (F holds the token; chmod 600 it), or listen on 127.0.0.1");
        }
        // ImageIO's default file cache registers a JVM shutdown hook per stream: during a SIGTERM
        // drain that throws, and a job finishing then would lose its PNGs. The images are small:
        // memory caches do.
        ImageIO.setUseCache(false);
        boolean tls = settings.tlsCert() != null;
        NettyServerBuilder builder = NettyServerBuilder
                .forAddress(new InetSocketAddress(address, settings.port()))
                .maxInboundMessageSize(settings.maxMessageBytes())
                // A token and a few standard headers need well under 1 KiB: 16 KiB bounds what a
                // caller can make the server buffer before any check runs.
                .maxInboundMetadataSize(MAX_METADATA_BYTES);
        limitConnections(builder, settings.connections());
        if (tls) {
            builder.sslContext(serverTls(settings));
        }
        HealthStatusManager health = new HealthStatusManager();
        List<String> names = new ArrayList<>();
        for (BindableService service : services) {
            ServerServiceDefinition definition = service.bindService();
            builder.addService(MalformedMessages.checked(definition));
            names.add(definition.getServiceDescriptor().getName());
        }
        builder.addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                .addService(legacyReflection());
        builder.intercept(new ClientAddress());
        // Before the token check, which lets health through: Watch needs no token.
        builder.intercept(new HealthWatchLimit(settings.connections().maxHealthWatchesPerConnection()));
        if (settings.token() != null) {
            // On the whole server rather than per service: anything registered later is protected
            // unless BearerTokenInterceptor exempts it by name.
            builder.intercept(new BearerTokenInterceptor(settings.token()));
        }
        Server server = builder.build().start();
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
        for (String name : names) {
            health.setStatus(name, ServingStatus.SERVING);
        }
        LOG.info("listening on {} port {} ({}, {})", address.getHostAddress(), server.getPort(),
                tls ? (settings.tlsClientCa() != null ? "TLS with client certificates" : "TLS") : "plaintext",
                settings.token() != null ? "token required" : "no token");
        if (!loopback && !tls) {
            LOG.warn("the token travels unencrypted on {}: anyone on the network path can read it; serve"
                    + " with TLS or behind a TLS-terminating proxy", settings.host());
        }
        return new EngineServer(server, health, tls, settings.shutdownGrace());
    }

    /** The bound port: the one asked for, or the one picked when asked for 0. */
    public int port() {
        return server.getPort();
    }

    public boolean tls() {
        return tls;
    }

    /**
     * Health turns NOT_SERVING, for good, for every name, so load balancers stop sending new work;
     * calls are still answered. Draining the job queue is the caller's business. Idempotent.
     */
    public void drain() {
        // Terminal: later setStatus calls are ignored, so nothing can flip a draining server back.
        // Once only: a second enterTerminalState logs a warning with a stack trace.
        if (drained.compareAndSet(false, true)) {
            health.enterTerminalState();
        }
    }

    /**
     * Drains, stops taking calls, waits up to the grace period for running calls to finish, then
     * cancels what is left. Safe to call more than once.
     */
    public void shutdown() {
        shutdownWithin(shutdownGrace);
    }

    /**
     * {@link #shutdown()} with what is left of a grace period already partly spent (on the job
     * queue, say): calls still open after {@code grace} are cancelled.
     */
    public void shutdownWithin(Duration grace) {
        drain();
        server.shutdown();
        try {
            if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("calls still open after the shutdown grace: cancelling them");
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Blocks until the server has stopped (the command line's main thread waits here). */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    @Override
    public void close() {
        shutdown();
    }

    /**
     * Bounds what any client, token or not, can hold: connections (checked as each is accepted, on
     * our own listening channel, so gRPC wants its event loops given too), streams on each, and
     * time spent idle or in the handshake. Health watches are bounded by {@link HealthWatchLimit}.
     */
    private static void limitConnections(NettyServerBuilder builder, ConnectionLimits limits) {
        OpenConnections open = new OpenConnections("engine", limits.maxConnections());
        builder.channelFactory(() -> {
                    NioServerSocketChannel listener = new NioServerSocketChannel();
                    listener.pipeline().addLast(open);
                    return listener;
                })
                .bossEventLoopGroup(SharedEventLoops.ACCEPT)
                .workerEventLoopGroup(SharedEventLoops.IO)
                .maxConcurrentCallsPerConnection(limits.maxCallsPerConnection())
                .maxConnectionIdle(limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handshakeTimeout(limits.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private static SslContext serverTls(ServerSettings settings) throws SSLException {
        SslContextBuilder tls = GrpcSslContexts.forServer(settings.tlsCert().toFile(), settings.tlsKey().toFile());
        if (settings.tlsClientCa() != null) {
            tls.trustManager(settings.tlsClientCa().toFile()).clientAuth(ClientAuth.REQUIRE);
        }
        return tls.build();
    }

    /** v1alpha reflection, deprecated but still the only one older grpcurl releases and GUIs speak. */
    @SuppressWarnings("deprecation")
    private static BindableService legacyReflection() {
        return ProtoReflectionService.newInstance();
    }
}
