package io.fijigen.engine.server;

import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.JobEvent;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * The client side of one asynchronous Generate call, for tests that act on the stream itself
 * (cancel it, stop reading it): keeps the events it reads, and opens {@link #done} when the call
 * ends, completed or failed.
 */
class StreamingClient implements ClientResponseObserver<GenerateRequest, JobEvent> {
    final List<JobEvent> events = new CopyOnWriteArrayList<>();
    final CountDownLatch done = new CountDownLatch(1);
    ClientCallStreamObserver<GenerateRequest> call;

    @Override
    public void beforeStart(ClientCallStreamObserver<GenerateRequest> requestStream) {
        call = requestStream;
    }

    @Override
    public void onNext(JobEvent event) {
        events.add(event);
    }

    @Override
    public void onError(Throwable error) {
        done.countDown();
    }

    @Override
    public void onCompleted() {
        done.countDown();
    }
}
