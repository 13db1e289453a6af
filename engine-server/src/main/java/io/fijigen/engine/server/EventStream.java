package io.fijigen.engine.server;

import io.fijigen.proto.v1.JobEvent;
import io.fijigen.proto.v1.Progress;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;

/**
 * A job's outgoing events with flow control: milestones (queued, started, result) are always sent
 * — there are few — but progress is conflated while the client is not ready: only the newest
 * waiting progress event is kept and sent when the transport drains. A slow or vanished client
 * therefore costs at most one buffered progress event, however long the job. A result counts
 * against the server's {@link ResultMemory} until the transport has drained it; one that would
 * pass that bound ends the call with RESOURCE_EXHAUSTED instead.
 */
final class EventStream {
    private final ServerCallStreamObserver<JobEvent> observer;
    private final ResultMemory memory;
    private Progress pending;
    private boolean closed;
    /** Bytes of a sent result the transport may still hold; 0 once released. */
    private long held;

    /** What else the client's leaving does: cancel its job, once it has one. */
    private volatile Runnable onCancel = () -> { };

    EventStream(ServerCallStreamObserver<JobEvent> observer, ResultMemory memory) {
        this.observer = observer;
        this.memory = memory;
        observer.setOnReadyHandler(this::flush);
        observer.setOnCloseHandler(this::release);
        observer.setOnCancelHandler(() -> {
            release();
            onCancel.run();
        });
    }

    void onCancel(Runnable action) {
        onCancel = action;
    }

    synchronized void milestone(JobEvent event) {
        if (closed || observer.isCancelled()) {
            return;
        }
        if (event.hasResult()) {
            long size = event.getSerializedSize();
            if (!memory.reserve(size)) {
                fail(Status.RESOURCE_EXHAUSTED.withDescription("the result (" + (size >> 20) + " MiB) would pass the "
                        + (memory.limit() >> 20) + " MiB the server keeps for results its clients have not read yet:"
                        + " read results as they come, or retry later"));
                return;
            }
            held = size;
        }
        sendPending();
        observer.onNext(event);
        if (observer.isReady()) {
            release();
        }
    }

    synchronized void progress(Progress progress) {
        if (closed || observer.isCancelled()) {
            return;
        }
        if (observer.isReady()) {
            pending = null;
            observer.onNext(JobEvent.newBuilder().setProgress(progress).build());
        } else {
            pending = progress;
        }
    }

    synchronized void complete() {
        if (!closed && !observer.isCancelled()) {
            closed = true;
            observer.onCompleted();
        }
    }

    synchronized void fail(Status status) {
        if (!closed && !observer.isCancelled()) {
            closed = true;
            observer.onError(status.asRuntimeException());
        }
    }

    private synchronized void flush() {
        if (observer.isReady()) {
            release();
            if (!closed) {
                sendPending();
            }
        }
    }

    private synchronized void release() {
        memory.release(held);
        held = 0;
    }

    private void sendPending() {
        if (pending != null) {
            observer.onNext(JobEvent.newBuilder().setProgress(pending).build());
            pending = null;
        }
    }
}
