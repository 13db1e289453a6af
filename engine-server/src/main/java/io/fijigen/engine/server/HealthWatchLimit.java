package io.fijigen.engine.server;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Refuses a {@code Health.Watch} call with {@code RESOURCE_EXHAUSTED} while a connection already
 * has a maximum number open. Watch needs no token and never ends by itself, so without a bound
 * anyone who can connect makes the server hold streams without end (100,000 on 4 connections took
 * the process from 223 to 765 MB). Counted per connection, so together with the connection limit
 * the total is bounded and a client that holds many does not keep others from theirs (our clients'
 * health checking fails their calls when its watch is refused).
 */
final class HealthWatchLimit implements ServerInterceptor {
    private static final String WATCH = HealthGrpc.getWatchMethod().getFullMethodName();

    private final int maxPerConnection;
    /** Open watches by connection, known by its client's address and port; absent when none. */
    private final Map<SocketAddress, Integer> open = new ConcurrentHashMap<>();

    HealthWatchLimit(int maxPerConnection) {
        this.maxPerConnection = maxPerConnection;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
            ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        SocketAddress connection = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        if (!WATCH.equals(call.getMethodDescriptor().getFullMethodName()) || connection == null) {
            return next.startCall(call, headers);
        }
        if (!admit(connection)) {
            call.close(Status.RESOURCE_EXHAUSTED.withDescription(maxPerConnection + " health watches are open on"
                    + " this connection, the most allowed: close one, or poll with Health.Check"), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        ServerCall.Listener<ReqT> listener;
        try {
            listener = next.startCall(call, headers);
        } catch (RuntimeException e) {
            release(connection);
            throw e;
        }
        // gRPC ends every call with exactly one of these two.
        return new SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onComplete() {
                release(connection);
                super.onComplete();
            }

            @Override
            public void onCancel() {
                release(connection);
                super.onCancel();
            }
        };
    }

    private boolean admit(SocketAddress connection) {
        boolean[] admitted = {false};
        open.compute(connection, (key, count) -> {
            int now = count == null ? 0 : count;
            if (now >= maxPerConnection) {
                return count;
            }
            admitted[0] = true;
            return now + 1;
        });
        return admitted[0];
    }

    private void release(SocketAddress connection) {
        open.computeIfPresent(connection, (key, count) -> count == 1 ? null : count - 1);
    }
}
