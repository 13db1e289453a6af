package io.fijigen.engine.server;

import io.fijigen.proto.client.ClientChannels;
import static io.fijigen.engine.server.GrpcProbes.failure;
import static io.fijigen.engine.server.GrpcProbes.firstModelId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS with a certificate made in the test; client certificates required when a client CA is set. */
class EngineServerTlsTest {
    @TempDir
    static Path dir;

    private static TestCertificates.Identity serverIdentity;
    private static TestCertificates.Identity clientCa;
    private static TestCertificates.Identity client;
    private static TestCertificates.Identity stranger;

    private final List<EngineServer> servers = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeAll
    static void makeCertificates() throws Exception {
        TestCertificates certificates = new TestCertificates(dir);
        // The client checks the name it dialled: the certificate must carry 127.0.0.1.
        serverIdentity = certificates.selfSigned("server", "san=ip:127.0.0.1,dns:localhost");
        clientCa = certificates.selfSigned("client-ca", "bc:c");
        client = certificates.signedBy("client-ca", "client", "eku=clientAuth");
        stranger = certificates.selfSigned("stranger", "eku=clientAuth");
    }

    @AfterEach
    void stopAll() {
        channels.forEach(ManagedChannel::shutdownNow);
        servers.forEach(EngineServer::shutdown);
    }

    @Test
    void aClientTrustingTheCertificateIsServed() throws Exception {
        EngineServer server = start(tlsSettings());

        assertThat(server.tls()).isTrue();
        assertThat(firstModelId(track(ClientChannels.open(target(server), null, true, serverIdentity.cert()))))
                .isEqualTo("probe");
    }

    @Test
    void aPlaintextClientIsNotServed() throws Exception {
        EngineServer server = start(tlsSettings());
        ManagedChannel plaintext = track(ClientChannels.open(target(server), null, false, null));

        assertThat(failure(() -> firstModelId(plaintext)).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    }

    @Test
    void withAClientCaOnlyClientsWithACertificateItSignedAreServed() throws Exception {
        EngineServer server = start(tlsSettings().withTlsClientCa(clientCa.cert()));

        ManagedChannel anonymous = track(ClientChannels.open(target(server), null, true, serverIdentity.cert()));
        assertThat(failure(() -> firstModelId(anonymous)).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(failure(() -> firstModelId(presenting(server, stranger))).getCode())
                .isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(firstModelId(presenting(server, client))).isEqualTo("probe");
    }

    @Test
    void tlsDoesNotReplaceATokenOffLoopback() {
        ServerSettings everyInterface = tlsSettings().withHost("0.0.0.0");

        assertThatThrownBy(() -> EngineServer.start(everyInterface, new ProbeEngine()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--token-file");
    }

    private static ServerSettings tlsSettings() {
        return ServerSettings.defaults().withPort(0).withShutdownGrace(Duration.ofSeconds(2))
                .withTls(serverIdentity.cert(), serverIdentity.key());
    }

    private EngineServer start(ServerSettings settings) throws IOException {
        EngineServer server = EngineServer.start(settings, new ProbeEngine());
        servers.add(server);
        return server;
    }

    /** ClientChannels has no client certificates (nothing asks for them yet): netty directly. */
    private ManagedChannel presenting(EngineServer server, TestCertificates.Identity identity) throws IOException {
        return track(NettyChannelBuilder.forTarget(target(server))
                .sslContext(GrpcSslContexts.forClient()
                        .trustManager(serverIdentity.cert().toFile())
                        .keyManager(identity.cert().toFile(), identity.key().toFile())
                        .build())
                .build());
    }

    private static String target(EngineServer server) {
        return "127.0.0.1:" + server.port();
    }

    private ManagedChannel track(ManagedChannel channel) {
        channels.add(channel);
        return channel;
    }
}
