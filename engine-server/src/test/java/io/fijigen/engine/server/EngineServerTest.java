package io.fijigen.engine.server;

import io.fijigen.proto.client.ClientChannels;
import static io.fijigen.engine.server.GrpcProbes.failure;
import static io.fijigen.engine.server.GrpcProbes.firstModelId;
import static io.fijigen.engine.server.GrpcProbes.health;
import static io.fijigen.engine.server.GrpcProbes.reflectedServices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fijigen.proto.v1.EngineGrpc;
import io.fijigen.proto.v1.GenerateRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server over real loopback connections: token, health, reflection, refusal off loopback, drain, limits. */
class EngineServerTest {
    private static final String ENGINE = EngineGrpc.SERVICE_NAME;
    private static final String TOKEN = "s3cret-token";
    private static final String WRONG_TOKEN = "wrong-guess";

    private final List<EngineServer> servers = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();

    @AfterEach
    void stopAll() {
        channels.forEach(ManagedChannel::shutdownNow);
        servers.forEach(EngineServer::shutdown);
    }

    @Test
    void withoutATokenOnLoopbackEverythingAnswers() throws Exception {
        EngineServer server = start(ServerSettings.defaults());
        ManagedChannel channel = connect(server, null);

        assertThat(server.tls()).isFalse();
        assertThat(firstModelId(channel)).isEqualTo("probe");
        assertThat(health(channel, "")).isEqualTo(ServingStatus.SERVING);
        assertThat(health(channel, ENGINE)).isEqualTo(ServingStatus.SERVING);
        assertThat(reflectedServices(channel)).contains(ENGINE, "grpc.health.v1.Health");
    }

    @Test
    void aTokenIsRequiredForTheEngineButNotForHealthOrReflection() throws Exception {
        EngineServer server = start(ServerSettings.defaults().withToken(TOKEN));

        Status missing = failure(() -> firstModelId(connect(server, null)));
        Status wrong = failure(() -> firstModelId(connect(server, WRONG_TOKEN)));
        for (Status refused : List.of(missing, wrong)) {
            assertThat(refused.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(refused.getDescription())
                    .contains("missing or invalid token", "authorization: Bearer TOKEN")
                    .doesNotContain(WRONG_TOKEN)
                    .doesNotContain(TOKEN);
        }
        assertThat(firstModelId(connect(server, TOKEN))).isEqualTo("probe");

        ManagedChannel anonymous = connect(server, null);
        assertThat(health(anonymous, "")).isEqualTo(ServingStatus.SERVING);
        assertThat(health(anonymous, ENGINE)).isEqualTo(ServingStatus.SERVING);
        assertThat(reflectedServices(anonymous)).contains(ENGINE);
    }

    @Test
    void offLoopbackATokenIsRequiredToStart() throws Exception {
        ServerSettings everyInterface = ServerSettings.defaults().withHost("0.0.0.0").withPort(0);

        assertThatThrownBy(() -> EngineServer.start(everyInterface, new ProbeEngine()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without a token")
                .hasMessageContaining("--token-file");

        EngineServer server = start(everyInterface.withToken(TOKEN));
        assertThat(firstModelId(connect(server, TOKEN))).isEqualTo("probe");
    }

    @Test
    void loopbackByNameNeedsNoToken() throws Exception {
        EngineServer server = start(ServerSettings.defaults().withHost("localhost"));
        assertThat(firstModelId(track(ClientChannels.open("localhost:" + server.port(), null, false, null))))
                .isEqualTo("probe");
    }

    @Test
    void drainTurnsHealthNotServingWhileCallsAreStillAnswered() throws Exception {
        EngineServer server = start(ServerSettings.defaults());
        // A bare channel: the server's side of draining, without a client's health checking.
        ManagedChannel channel = track(NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build());
        ManagedChannel balanced = connect(server, null);
        assertThat(firstModelId(balanced)).isEqualTo("probe");

        server.drain();

        assertThat(health(channel, "")).isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(health(channel, ENGINE)).isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(firstModelId(channel)).isEqualTo("probe");
        // Our clients watch health: they send a draining server nothing new, and say why.
        Status refused = failure(() -> firstModelId(balanced));
        assertThat(refused.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(refused.getDescription()).contains("NOT_SERVING");
    }

    @Test
    void shutdownStopsTheServer() throws Exception {
        EngineServer server = start(ServerSettings.defaults());
        ManagedChannel channel = connect(server, null);
        assertThat(firstModelId(channel)).isEqualTo("probe");

        server.shutdown();
        server.awaitTermination();

        assertThat(failure(() -> firstModelId(channel)).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    }

    @Test
    void aMessageOverTheLimitIsRefusedByTheTransport() throws Exception {
        EngineServer server = start(ServerSettings.defaults().withMaxMessageBytes(1024));
        GenerateRequest tooBig = GenerateRequest.newBuilder().setModelId("probe").setPrompt("x".repeat(4096)).build();

        Status refused = failure(() -> EngineGrpc.newBlockingStub(connect(server, null))
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .generate(tooBig)
                .hasNext());

        assertThat(refused.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    }

    private EngineServer start(ServerSettings settings) throws IOException {
        // A short grace: nothing long runs here, and a stuck call should not stall the suite.
        EngineServer server = EngineServer.start(
                settings.withPort(0).withShutdownGrace(Duration.ofSeconds(2)), new ProbeEngine());
        servers.add(server);
        return server;
    }

    private ManagedChannel connect(EngineServer server, String token) throws IOException {
        return track(ClientChannels.open("127.0.0.1:" + server.port(), token, false, null));
    }

    private ManagedChannel track(ManagedChannel channel) {
        channels.add(channel);
        return channel;
    }
}
