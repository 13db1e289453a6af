package io.fijigen.plugin.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fijigen.plugin.LoopbackServer;
import io.fijigen.proto.client.JobListener;
import io.fijigen.proto.v1.GenerateRequest;
import io.grpc.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A server that asks for a token, on loopback. */
class EngineClientTokenTest {
    static LoopbackServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new LoopbackServer("right-token");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aWrongTokenIsUnauthenticated() {
        try (EngineClient client = new EngineClient(server.connection().withToken("wrong-token"))) {
            assertThatThrownBy(client::listModels)
                    .isInstanceOf(EngineException.class)
                    .hasMessage("the engine refused the token — set the token in Plugins › fijigen › Server Settings…")
                    .satisfies(e -> assertThat(((EngineException) e).code()).isEqualTo(Status.Code.UNAUTHENTICATED));
            GenerateRequest request = GenerateRequest.newBuilder().setModelId("tiny-sd15").setSteps(1).build();
            assertThatThrownBy(() -> client.generate(request, JobListener.NONE))
                    .isInstanceOf(EngineException.class)
                    .hasMessageContaining("refused the token")
                    .hasMessageNotContaining("wrong-token")
                    .hasMessageNotContaining("Bearer")
                    .hasMessageNotContaining("authorization");
        }
    }

    @Test
    void noTokenIsUnauthenticatedWithAHint() {
        try (EngineClient client = new EngineClient(server.connection())) {
            assertThatThrownBy(client::listModels)
                    .isInstanceOf(EngineException.class)
                    .hasMessage("the engine asks for a token — set the token in Plugins › fijigen › Server Settings…")
                    .satisfies(e -> assertThat(((EngineException) e).code()).isEqualTo(Status.Code.UNAUTHENTICATED));
        }
    }

    @Test
    void theRightTokenIsLetIn() throws Exception {
        try (EngineClient client = new EngineClient(server.connection().withToken("right-token"))) {
            assertThat(client.listModels().getModelsCount()).isPositive();
        }
    }

    @Test
    void noServerIsUnavailable() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (EngineClient client = new EngineClient(Connection.plaintext("127.0.0.1", port))) {
            assertThatThrownBy(client::listModels)
                    .isInstanceOf(EngineException.class)
                    .hasMessage("cannot reach the engine at 127.0.0.1:" + port
                            + " — is it running? (Plugins › fijigen › Server Settings…)")
                    .satisfies(e -> assertThat(((EngineException) e).code()).isEqualTo(Status.Code.UNAVAILABLE));
        }
    }

    @Test
    void aListOfServersReachesTheOneThatIsUp() throws Exception {
        int down;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            down = socket.getLocalPort();
        }
        int up = server.connection().port();
        Connection both = new Connection("127.0.0.1:" + down + ", 127.0.0.1", up, "right-token", false, 0);
        assertThat(both.servers()).containsExactly("127.0.0.1:" + down, "127.0.0.1:" + up);
        assertThat(both.toString()).isEqualTo("http://127.0.0.1:" + down + ",127.0.0.1:" + up + " (token set)");

        try (EngineClient client = new EngineClient(both)) {
            for (int i = 0; i < 3; i++) {
                assertThat(client.listModels().getModelsCount()).isPositive();
            }
        }
        assertThatThrownBy(() -> new Connection("a,,b", 1, null, false, 0))
                .hasMessageContaining("empty entry");
    }
}
