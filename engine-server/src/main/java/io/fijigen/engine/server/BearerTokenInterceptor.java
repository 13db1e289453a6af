package io.fijigen.engine.server;

import io.fijigen.proto.client.ClientChannels;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Lets a call through only when its {@code authorization} metadata is exactly
 * {@code Bearer <token>}; otherwise ends it with {@code UNAUTHENTICATED}.
 *
 * <p>Health and reflection are exempt: load balancers and orchestrators probe health without
 * secrets, and reflection only describes the API (the same {@code .proto} that is published with
 * the sources), so {@code grpcurl} can list and describe it before one supplies a token. Neither
 * runs a job or reveals the models.
 */
public final class BearerTokenInterceptor implements ServerInterceptor {

    public static final Metadata.Key<String> AUTHORIZATION = ClientChannels.AUTHORIZATION;
    public static final String SCHEME = ClientChannels.SCHEME;

    /** Never echoes what was presented: it may be a real token meant for another server. */
    static final String REFUSAL = "missing or invalid token: send 'authorization: Bearer TOKEN'";

    private static final Set<String> EXEMPT_SERVICES = Set.of(
            HealthGrpc.SERVICE_NAME,
            io.grpc.reflection.v1.ServerReflectionGrpc.SERVICE_NAME,
            io.grpc.reflection.v1alpha.ServerReflectionGrpc.SERVICE_NAME);

    private final byte[] expected;

    public BearerTokenInterceptor(String token) {
        this.expected = (SCHEME + token).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
            ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        if (EXEMPT_SERVICES.contains(call.getMethodDescriptor().getServiceName())
                || accepts(headers.get(AUTHORIZATION))) {
            return next.startCall(call, headers);
        }
        call.close(Status.UNAUTHENTICATED.withDescription(REFUSAL), new Metadata());
        return new ServerCall.Listener<>() {};
    }

    boolean accepts(String authorization) {
        if (authorization == null) {
            return false;
        }
        // Constant time, so response timing does not reveal how much of a guess was right. The
        // presented value goes first: isEqual's running time follows its first argument's length,
        // which the caller knows anyway, not the token's.
        return MessageDigest.isEqual(authorization.getBytes(StandardCharsets.UTF_8), expected);
    }
}
