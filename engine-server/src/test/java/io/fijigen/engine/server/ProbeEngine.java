package io.fijigen.engine.server;

import io.fijigen.proto.v1.EngineGrpc;
import io.fijigen.proto.v1.ListModelsRequest;
import io.fijigen.proto.v1.ListModelsResponse;
import io.fijigen.proto.v1.Model;
import io.grpc.stub.StreamObserver;

/** A stand-in Engine for the transport tests: ListModels answers one model, "probe"; the rest is UNIMPLEMENTED. */
final class ProbeEngine extends EngineGrpc.EngineImplBase {

    @Override
    public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> answer) {
        answer.onNext(ListModelsResponse.newBuilder().addModels(Model.newBuilder().setId("probe")).build());
        answer.onCompleted();
    }
}
