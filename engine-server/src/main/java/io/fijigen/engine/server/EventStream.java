package io.fijigen.engine.server;

import io.fijigen.proto.v1.JobEvent;
import io.fijigen.proto.v1.Progress;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;

/**
 * A job's outgoing events with flow control: milestones (queued, started, result) are always sent
 * — there are few — but progress is conflated while the client is not ready: only the newest
 * waiting progress event is kept and sent when the transport drains. A slow or vanished client
 * therefore costs at most one buffered progress event, however long the job.
 */
final class EventStream {
    private final ServerCallStreamObserver<JobEvent> observer;
    private Progress pending;
    private boolean closed;

    EventStream(ServerCallStreamObserver<JobEvent> observer) {
        this.observer = observer;
        observer.setOnReadyHandler(this::flush);
    }

    synchronized void milestone(JobEvent event) {
        if (!closed && !observer.isCancelled()) {
            sendPending();
            observer.onNext(event);
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
        if (!closed && observer.isReady()) {
            sendPending();
        }
    }

    private void sendPending() {
        if (pending != null) {
            observer.onNext(JobEvent.newBuilder().setProgress(pending).build());
            pending = null;
        }
    }
}
