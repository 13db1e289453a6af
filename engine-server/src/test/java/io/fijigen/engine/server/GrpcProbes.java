package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.fijigen.proto.v1.EngineGrpc;
import io.fijigen.proto.v1.ListModelsRequest;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** The calls the transport tests make, each with a deadline so a broken server fails a test instead of hanging it. */
final class GrpcProbes {
    private static final long DEADLINE_S = 10;

    private GrpcProbes() {}

    /** The id of the first model ListModels names ("probe" on a {@link ProbeEngine}). */
    static String firstModelId(Channel channel) {
        return EngineGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_S, TimeUnit.SECONDS)
                .listModels(ListModelsRequest.getDefaultInstance()).getModels(0).getId();
    }

    static ServingStatus health(Channel channel, String service) {
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_S, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    }

    /** What grpcurl's {@code list} shows: the services reflection names. */
    static List<String> reflectedServices(Channel channel) throws Exception {
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
                .withDeadlineAfter(DEADLINE_S, TimeUnit.SECONDS)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse response) {
                        answer.complete(response);
                    }

                    @Override
                    public void onError(Throwable error) {
                        answer.completeExceptionally(error);
                    }

                    @Override
                    public void onCompleted() {
                        answer.completeExceptionally(new AssertionError("reflection ended without an answer"));
                    }
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
        requests.onCompleted();
        return answer.get(DEADLINE_S, TimeUnit.SECONDS).getListServicesResponse().getServiceList().stream()
                .map(ServiceResponse::getName)
                .toList();
    }

    /** The status a call that must fail failed with. */
    static Status failure(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(StatusRuntimeException.class);
        return ((StatusRuntimeException) thrown).getStatus();
    }
}
