package io.fijigen.engine.server;

import io.fijigen.proto.v1.JobEvent;
import io.fijigen.proto.v1.Progress;
import io.fijigen.proto.v1.Result;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;

/** The events of a job that has a call of its own, Generate or Upscale: the call ends with the job. */
final class JobCallEvents implements JobEvents {
    private final EventStream<JobEvent> stream;

    JobCallEvents(ServerCallStreamObserver<JobEvent> observer, ResultMemory memory) {
        this.stream = new EventStream<>(observer, memory);
    }

    @Override
    public void milestone(JobEvent event) {
        stream.milestone(event);
    }

    @Override
    public void progress(Progress progress) {
        stream.progress(JobEvent.newBuilder().setProgress(progress).build());
    }

    @Override
    public void result(Result result) {
        stream.result(JobEvent.newBuilder().setResult(result).build());
        stream.complete();
    }

    @Override
    public void failed(Status status) {
        stream.fail(status);
    }

    @Override
    public void onCancel(Runnable cancelJob) {
        stream.onCancel(cancelJob);
    }
}
