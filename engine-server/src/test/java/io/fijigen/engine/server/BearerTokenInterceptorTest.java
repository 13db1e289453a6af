package io.fijigen.engine.server;

import io.fijigen.proto.client.ClientChannels;
import static io.fijigen.engine.server.GrpcProbes.failure;
import static io.fijigen.engine.server.GrpcProbes.firstModelId;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Exactly "Bearer TOKEN" gets through; near misses do not. Raw header values over a real connection. */
class BearerTokenInterceptorTest {
    private static final String TOKEN = "s3cret";

    private static EngineServer server;
    private static ManagedChannel channel;

    @BeforeAll
    static void start() throws Exception {
        server = EngineServer.start(ServerSettings.defaults().withPort(0).withToken(TOKEN)
                .withShutdownGrace(Duration.ofSeconds(2)), new ProbeEngine());
        channel = ClientChannels.open("127.0.0.1:" + server.port(), null, false, null);
    }

    @AfterAll
    static void stop() {
        channel.shutdownNow();
        server.shutdown();
    }

    @Test
    void exactlyBearerAndTheTokenIsAccepted() {
        assertThat(firstModelId(withAuthorization("Bearer " + TOKEN))).isEqualTo("probe");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        TOKEN, "bearer " + TOKEN, "Bearer  " + TOKEN, "Bearer", "Bearer ", "Bearer s3cre", "Bearer s3cretX",
        "Bearer S3CRET", "Basic czNjcmV0", "Bearer " + TOKEN + "," + TOKEN})
    void nearMissesAreRefused(String authorization) {
        Status refused = failure(() -> firstModelId(withAuthorization(authorization)));

        assertThat(refused.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(refused.getDescription()).isEqualTo(BearerTokenInterceptor.REFUSAL);
    }

    private static Channel withAuthorization(String value) {
        Metadata headers = new Metadata();
        headers.put(BearerTokenInterceptor.AUTHORIZATION, value);
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }
}
