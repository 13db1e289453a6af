package io.fijigen.engine.server;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Requests that are not the message their method takes end with {@code INVALID_ARGUMENT}. grpc-java
 * parses a request inside the application's call and reports a failure as {@code UNKNOWN:
 * Application error processing RPC}, which tells a client nothing; here each request is parsed
 * once ahead of the service with the method's own marshaller, and handed on as the same bytes.
 */
final class MalformedMessages implements ServerInterceptor {
    private final Map<String, MethodDescriptor.Marshaller<?>> requestParsers;

    private MalformedMessages(Map<String, MethodDescriptor.Marshaller<?>> requestParsers) {
        this.requestParsers = requestParsers;
    }

    /** {@code definition} with its requests checked before they reach it. */
    static ServerServiceDefinition checked(ServerServiceDefinition definition) {
        Map<String, MethodDescriptor.Marshaller<?>> parsers = new HashMap<>();
        for (ServerMethodDefinition<?, ?> method : definition.getMethods()) {
            parsers.put(method.getMethodDescriptor().getFullMethodName(),
                    method.getMethodDescriptor().getRequestMarshaller());
        }
        return ServerInterceptors.intercept(ServerInterceptors.useInputStreamMessages(definition),
                new MalformedMessages(parsers));
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
            ServerCallHandler<ReqT, RespT> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        MethodDescriptor.Marshaller<?> parser = requestParsers.get(method);
        return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            private boolean refused;

            @Override
            @SuppressWarnings("unchecked") // after useInputStreamMessages every request is an InputStream
            public void onMessage(ReqT message) {
                if (refused) {
                    return;
                }
                byte[] bytes;
                try (InputStream in = (InputStream) message) {
                    bytes = in.readAllBytes();
                    parser.parse(new ByteArrayInputStream(bytes));
                } catch (IOException | RuntimeException e) {
                    refused = true;
                    String why = e instanceof StatusRuntimeException status ? status.getStatus().getDescription()
                            : e.getMessage();
                    call.close(Status.INVALID_ARGUMENT.withDescription("the request to " + method
                            + " is not a valid message of its type (" + why + ")"), new Metadata());
                    return;
                }
                super.onMessage((ReqT) new ByteArrayInputStream(bytes));
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    super.onHalfClose();
                }
            }
        };
    }
}
