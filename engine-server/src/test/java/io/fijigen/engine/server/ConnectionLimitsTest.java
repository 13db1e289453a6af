package io.fijigen.engine.server;

import static io.fijigen.engine.server.GrpcProbes.firstModelId;
import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.proto.client.ClientChannels;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a client without a token can hold open, over real loopback connections: connections,
 * idle and half-opened ones, streams per connection, health watches (issue 18, item 7).
 */
class ConnectionLimitsTest {
    private static final String TOKEN = "s3cret-token";
    /** What a client sends first on HTTP/2: the magic string, then an empty SETTINGS frame. */
    private static final byte[] PREFACE = concat("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
            new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});

    private final List<EngineServer> servers = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stopAll() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        channels.forEach(ManagedChannel::shutdownNow);
        servers.forEach(EngineServer::shutdown);
    }

    @Test
    void connectionsBeyondTheMaximumAreClosedAndTheServerGoesOn() throws Exception {
        int max = 8;
        EngineServer server = start(limits(max, 100, 100, Duration.ofSeconds(60), Duration.ofSeconds(10)));

        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < max; i++) {
            held.add(preface(server));
            // Each answered before the next connects: accepted in order, so the first `max` are the ones kept.
            assertThat(answers(held.get(i))).as("connection %d", i).isTrue();
        }
        List<Socket> extra = new ArrayList<>();
        for (int i = 0; i < 2 * max; i++) {
            extra.add(preface(server));
        }
        for (Socket socket : extra) {
            assertThat(closedWithin(socket, Duration.ofSeconds(5))).isTrue();
        }
        for (Socket socket : held) {
            assertThat(socket.isClosed()).isFalse();
            socket.close();
        }

        assertThat(eventuallyAnswers(server, Duration.ofSeconds(5))).isTrue();
        assertThat(firstModelId(connect(server))).isEqualTo("probe");
    }

    @Test
    void connectionsWithoutCallsAreClosedAfterTheTimeouts() throws Exception {
        EngineServer server = start(limits(100, 100, 100, Duration.ofSeconds(1), Duration.ofSeconds(1)));
        long start = System.nanoTime();
        Socket silent = track(new Socket("127.0.0.1", server.port()));
        Socket idle = preface(server);
        assertThat(answers(idle)).isTrue();

        // Silent: never finishes the preface, so gRPC's handshake timeout closes it.
        assertThat(closedWithin(silent, Duration.ofSeconds(5))).isTrue();
        double silentSeconds = (System.nanoTime() - start) / 1e9;
        // Idle: a GOAWAY after the idle timeout, then up to 10 s for a PING answer a raw client never sends.
        assertThat(closedWithin(idle, Duration.ofSeconds(15))).isTrue();
        double idleSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("silent connection closed after %.1f s, idle one after %.1f s%n", silentSeconds, idleSeconds);

        assertThat(firstModelId(connect(server))).isEqualTo("probe");
    }

    @Test
    void callsBeyondAConnectionsMaximumWait() throws Exception {
        EngineServer server = start(limits(100, 2, 100, Duration.ofSeconds(60), Duration.ofSeconds(10)));
        ManagedChannel channel = connectBare(server);

        // One first, so the server's SETTINGS (the limit) are in force, acknowledged, before the others.
        CompletableFuture<Status> first = watch(channel, 3);
        assertThat(first.get(5, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
        CompletableFuture<Status> second = watch(channel, 3);
        CompletableFuture<Status> third = watch(channel, 1);

        // The first two hold both streams; the third never gets one before its deadline.
        assertThat(second.get(5, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
        assertThat(third.get(5, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        // Once one ends, the next call gets its stream.
        assertThat(watch(channel, 3).get(5, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
    }

    @Test
    void healthWatchesBeyondAConnectionsMaximumAreRefusedWithBoundedMemoryAndThreads() throws Exception {
        int max = 4;
        EngineServer server = start(limits(100, 100, max, Duration.ofSeconds(60), Duration.ofSeconds(10)));
        List<ManagedChannel> connections = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            connections.add(connectBare(server));
        }
        Context.CancellableContext firstConnectionsWatches = Context.current().withCancellation();
        for (ManagedChannel connection : connections) {
            for (int i = 0; i < max; i++) {
                CompletableFuture<Status> admitted = connection == connections.get(0)
                        ? firstConnectionsWatches.call(() -> watchHeld(connection))
                        : watchHeld(connection);
                assertThat(admitted.get(5, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
            }
        }
        ProcessStatus before = ProcessStatus.now();

        int attempts = 5000;
        List<CompletableFuture<Status>> refused = new ArrayList<>();
        for (int i = 0; i < attempts; i++) {
            refused.add(watch(connections.get(i % 4), 10));
        }
        for (CompletableFuture<Status> watch : refused) {
            Status status = watch.get(15, TimeUnit.SECONDS);
            assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(status.getDescription()).contains(max + " health watches are open", "Health.Check");
        }
        ProcessStatus after = ProcessStatus.now();
        System.out.printf("%d watches refused beyond %d on each of 4 connections: RSS %d → %d MiB, threads %d → %d%n",
                attempts, max, before.residentMib(), after.residentMib(), before.threads(), after.threads());
        // gRPC's call executor grows with a burst of calls, refused or not (here about 24 threads,
        // idle after 60 s); what the bound removes is growth with the watches held.
        assertThat(after.threads() - before.threads()).isLessThan(50);
        assertThat(after.residentMib() - before.residentMib()).isLessThan(100);

        // Full connections do not keep a new one from its watch, and a watch that ends frees its place.
        assertThat(watchHeld(connectBare(server)).get(5, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
        firstConnectionsWatches.cancel(null);
        assertThat(eventuallyWatches(connections.get(0), Duration.ofSeconds(5))).isTrue();
        assertThat(firstModelId(connect(server))).isEqualTo("probe");
    }

    private EngineServer start(ConnectionLimits limits) throws IOException {
        EngineServer server = EngineServer.start(ServerSettings.defaults().withPort(0).withToken(TOKEN)
                .withShutdownGrace(Duration.ofSeconds(2)).withConnectionLimits(limits), new ProbeEngine());
        servers.add(server);
        return server;
    }

    private static ConnectionLimits limits(int connections, int callsPerConnection, int watches, Duration idle,
            Duration handshake) {
        return new ConnectionLimits(connections, callsPerConnection, watches, idle, handshake);
    }

    private ManagedChannel connect(EngineServer server) throws IOException {
        ManagedChannel channel = ClientChannels.open("127.0.0.1:" + server.port(), TOKEN, false, null);
        channels.add(channel);
        return channel;
    }

    /** Without the health checking our clients do, which holds a watch of its own. */
    private ManagedChannel connectBare(EngineServer server) {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
                // Answers handled on the transport's threads: the thread count measured is the server's.
                .directExecutor()
                .build();
        channels.add(channel);
        return channel;
    }

    private Socket track(Socket socket) {
        sockets.add(socket);
        return socket;
    }

    private Socket preface(EngineServer server) throws IOException {
        Socket socket = track(new Socket("127.0.0.1", server.port()));
        socket.getOutputStream().write(PREFACE);
        socket.getOutputStream().flush();
        return socket;
    }

    /** Whether the server sends something (its SETTINGS) within 2 s. */
    private static boolean answers(Socket socket) throws IOException {
        socket.setSoTimeout(2000);
        try {
            return socket.getInputStream().read() >= 0;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /** Whether the server closes the connection within {@code limit}, whatever it sends first. */
    private static boolean closedWithin(Socket socket, Duration limit) throws IOException {
        long end = System.nanoTime() + limit.toNanos();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        while (System.nanoTime() < end) {
            socket.setSoTimeout((int) Math.max(1, (end - System.nanoTime()) / 1_000_000));
            try {
                if (in.read(buffer) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException reset) {
                return true;
            }
        }
        return false;
    }

    /** Closing is noticed by the server a moment after the client closes: a new connection may wait for it. */
    private boolean eventuallyAnswers(EngineServer server, Duration limit) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (answers(preface(server))) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private boolean eventuallyWatches(ManagedChannel channel, Duration limit) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (watch(channel, 1).get(5, TimeUnit.SECONDS).isOk()) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** A watch that lasts {@code seconds}: OK if it got its first answer, else how it ended. */
    private static CompletableFuture<Status> watch(ManagedChannel channel, int seconds) {
        return watch(channel, HealthGrpc.newStub(channel).withDeadlineAfter(seconds, TimeUnit.SECONDS));
    }

    /** A watch held until its channel closes: OK once it got its first answer. */
    private static CompletableFuture<Status> watchHeld(ManagedChannel channel) {
        return watch(channel, HealthGrpc.newStub(channel));
    }

    private static CompletableFuture<Status> watch(ManagedChannel channel, HealthGrpc.HealthStub stub) {
        CompletableFuture<Status> first = new CompletableFuture<>();
        stub.watch(HealthCheckRequest.getDefaultInstance(), new StreamObserver<>() {
            @Override
            public void onNext(HealthCheckResponse response) {
                first.complete(Status.OK);
            }

            @Override
            public void onError(Throwable error) {
                first.complete(Status.fromThrowable(error));
            }

            @Override
            public void onCompleted() {
                first.complete(Status.UNKNOWN.withDescription("watch ended without an answer"));
            }
        });
        return first;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
