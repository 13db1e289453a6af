package io.fijigen.proto.client;

import io.grpc.CallCredentials;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLException;

/**
 * Channels to engine servers, as the command line's {@code --server}, the Fiji plugin and the tests
 * open them.
 */
public final class ClientChannels {
    /** Metadata key of the bearer token, as the server reads it. */
    public static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    /** What precedes the token in {@link #AUTHORIZATION}. */
    public static final String SCHEME = "Bearer ";
    /**
     * round_robin over every address the target resolves to (several {@code static:///} servers, or
     * a DNS name with several records, as a Kubernetes headless service has), each watched through
     * the standard health service ("" = the whole server): an engine that is draining, or down,
     * gets no new calls while its running ones finish.
     */
    public static final Map<String, ?> SERVICE_CONFIG = Map.of(
            "loadBalancingConfig", List.of(Map.of("round_robin", Map.of())),
            "healthCheckConfig", Map.of("serviceName", ""));
    /** Results carry PNGs: a client accepts messages as large as a server does by default (64 MiB). */
    public static final int MAX_MESSAGE_BYTES = 64 << 20;

    private ClientChannels() {}

    /**
     * A channel to {@code target} ({@code host:port}, several as {@link StaticTargets#target}
     * makes them, or any grpc-java target such as {@code dns:///name:port}).
     *
     * @param token sent as {@code authorization: Bearer TOKEN} on every call; null: none
     * @param tls whether to use TLS; plaintext otherwise
     * @param trustCert with TLS, the certificate (PEM) to trust instead of the system's trust store,
     *     e.g. the server's self-signed one; null: the system's
     */
    public static ManagedChannel open(String target, String token, boolean tls, Path trustCert) throws SSLException {
        NettyChannelBuilder builder = NettyChannelBuilder.forTarget(target)
                .defaultServiceConfig(SERVICE_CONFIG)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES);
        if (!tls) {
            builder.usePlaintext();
        } else if (trustCert != null) {
            builder.sslContext(GrpcSslContexts.forClient().trustManager(trustCert.toFile()).build());
        } else {
            builder.useTransportSecurity();
        }
        if (token != null) {
            CallCredentials credentials = new BearerToken(token);
            builder.intercept(new ClientInterceptor() {
                @Override
                public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
                        MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
                    return next.newCall(method, options.withCallCredentials(credentials));
                }
            });
        }
        return builder.build();
    }

    /** Adds the bearer header. Sent over plaintext too: a loopback server needs it just the same. */
    private static final class BearerToken extends CallCredentials {
        private final String header;

        BearerToken(String token) {
            this.header = SCHEME + token;
        }

        @Override
        public void applyRequestMetadata(RequestInfo info, Executor appExecutor, MetadataApplier applier) {
            Metadata headers = new Metadata();
            headers.put(AUTHORIZATION, header);
            applier.apply(headers);
        }
    }
}
