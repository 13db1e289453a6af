package io.fijigen.engine.server;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * The calling connection's remote address, in each call's gRPC context: who "the same client" is
 * for interactive jobs whose request names no session.
 */
final class ClientAddress implements ServerInterceptor {
    private static final Context.Key<String> ADDRESS = Context.key("fijigen-client-address");

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
            ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        Context context = Context.current().withValue(ADDRESS,
                String.valueOf(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)));
        return Contexts.interceptCall(context, call, headers, next);
    }

    /** The address of the connection whose call runs now; empty outside a call. */
    static String current() {
        String address = ADDRESS.get();
        return address == null ? "" : address;
    }
}
