package io.fijigen.engine.server;

import com.google.protobuf.MessageLite;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;

/**
 * A call's outgoing job events with flow control: milestones (queued, started, a batch's job
 * failures) and results are always sent — there are few — but progress is conflated while the
 * client is not ready: only the newest waiting progress event is kept and sent when the transport
 * drains. A slow or vanished client therefore costs at most one buffered progress event, however
 * long the job. A result counts against the server's {@link ResultMemory} until the transport has
 * drained it; one that would pass that bound ends the call with RESOURCE_EXHAUSTED instead.
 *
 * @param <T> the call's event message: {@code JobEvent} for a job's own call, {@code BatchEvent}
 *     for a batch's
 */
final class EventStream<T extends MessageLite> {
    private final ServerCallStreamObserver<T> observer;
    private final ResultMemory memory;
    private T pending;
    private boolean closed;
    /** Bytes of sent results the transport may still hold; 0 once released. */
    private long held;

    /** What else the client's leaving does: cancel its job, once it has one. */
    private volatile Runnable onCancel = () -> { };

    EventStream(ServerCallStreamObserver<T> observer, ResultMemory memory) {
        this.observer = observer;
        this.memory = memory;
        observer.setOnReadyHandler(this::flush);
        observer.setOnCloseHandler(this::release);
        observer.setOnCancelHandler(() -> {
            release();
            onCancel.run();
        });
    }

    /** Replaces what the client's leaving does: a batch's next job takes over from the one before. */
    void onCancel(Runnable action) {
        onCancel = action;
    }

    synchronized void milestone(T event) {
        if (isOpen()) {
            send(event);
        }
    }

    synchronized void result(T event) {
        if (!isOpen()) {
            return;
        }
        long size = event.getSerializedSize();
        if (!memory.reserve(size)) {
            fail(Status.RESOURCE_EXHAUSTED.withDescription("the result (" + (size >> 20) + " MiB) would pass the "
                    + (memory.limit() >> 20) + " MiB the server keeps for results its clients have not read yet:"
                    + " read results as they come, or retry later"));
            return;
        }
        held += size;
        send(event);
    }

    synchronized void progress(T progress) {
        if (!isOpen()) {
            return;
        }
        if (observer.isReady()) {
            pending = null;
            observer.onNext(progress);
        } else {
            pending = progress;
        }
    }

    synchronized void complete() {
        if (isOpen()) {
            closed = true;
            observer.onCompleted();
        }
    }

    synchronized void fail(Status status) {
        if (isOpen()) {
            closed = true;
            observer.onError(status.asRuntimeException());
        }
    }

    /** Whether events still go out: the call has neither ended nor been cancelled. */
    synchronized boolean isOpen() {
        return !closed && !observer.isCancelled();
    }

    private void send(T event) {
        sendPending();
        observer.onNext(event);
        if (observer.isReady()) {
            release();
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
            observer.onNext(pending);
            pending = null;
        }
    }
}
