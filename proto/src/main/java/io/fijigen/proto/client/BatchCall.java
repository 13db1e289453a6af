package io.fijigen.proto.client;

import io.fijigen.proto.v1.BatchEvent;
import io.fijigen.proto.v1.BatchJob;
import io.fijigen.proto.v1.EngineGrpc;
import io.fijigen.proto.v1.JobEvent;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Jobs run one after another on an engine, one Batch call: {@link #run} sends the jobs in the
 * iterator's order, each once the job before it has ended, reports their events to a
 * {@link BatchListener} and returns when the last one has ended; {@link #cancel()} ends the batch
 * from any thread. An iterator that builds each job in {@code next()} (reads a slice, encodes its
 * PNG) therefore holds one job's request at a time, however long the batch. The command line and
 * the Fiji plugin both run batches through this class.
 *
 * <p>Every failure comes out of {@link #run} as a {@link StatusRuntimeException} with the call's
 * status, as from {@link JobCall}: the server's (a job that failed without {@code
 * continue_on_error}, its description starting "job K: "), the deadline's, CANCELLED after
 * {@link #cancel()}, or INTERNAL when the stream ends before the jobs have. A listener's or the
 * iterator's exception comes out as it is, the call cancelled: the running job and the rest do
 * not run. The call is cancelled through itself, not a {@code Context}, for the reason
 * {@link JobCall} gives.
 */
public final class BatchCall {
    private static final String CANCELLED_BY_USER = "cancelled by the user";

    /** The call's end, as its listener heard it. */
    private record Closed(Status status, Metadata trailers) {}

    private final ClientCall<BatchJob, BatchEvent> call;
    private final Iterator<BatchJob> jobs;
    /**
     * What the call's listener hears, {@code BatchEvent}s then a {@link Closed}, for the thread in
     * {@link #run}: it alone reads the iterator and sends, so no job is built ahead of its turn.
     */
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    // Guarded by this: a cancel must keep the call from starting, and from sending after it.
    private boolean started;
    private boolean cancelledByUser;
    // The running thread's own.
    private int sent;
    private int ended;
    private boolean allSent;

    /**
     * A batch not yet sent.
     *
     * @param options the call's options; a deadline is the whole batch's
     * @param jobs the jobs, taken one at a time as the batch goes on
     */
    public BatchCall(Channel channel, CallOptions options, Iterator<BatchJob> jobs) {
        this.call = channel.newCall(EngineGrpc.getBatchMethod(), options);
        this.jobs = jobs;
    }

    /**
     * Sends the jobs and follows their events until the last job has ended, on the calling thread.
     * Once only.
     *
     * @throws StatusRuntimeException when the call failed, was cancelled, or ended before its jobs
     */
    public void run(BatchListener listener) {
        start();
        try {
            sendNext();
            while (true) {
                Object next = take();
                if (next instanceof Closed closed) {
                    checkEnd(closed);
                    return;
                }
                call.request(1);
                if (report((BatchEvent) next, listener)) {
                    ended++;
                    sendNext();
                }
            }
        } finally {
            // A batch left early (a listener's exception) must not go on; after the end, a no-op.
            call.cancel("the client stopped reading the batch", null);
        }
    }

    private synchronized void start() {
        if (started) {
            throw new IllegalStateException("a batch call runs once");
        }
        if (cancelledByUser) {
            throw Status.CANCELLED.withDescription(CANCELLED_BY_USER).asRuntimeException();
        }
        started = true;
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onMessage(BatchEvent event) {
                inbox.add(event);
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                inbox.add(new Closed(status, trailers));
            }
        }, new Metadata());
        call.request(1);
    }

    /** The iterator's next job, or the end of the batch when it has none; after a cancel, no job is built. */
    private void sendNext() {
        if (cancelledByUser()) {
            return;
        }
        if (jobs.hasNext()) {
            send(jobs.next());
            sent++;
        } else {
            allSent = true;
            halfClose();
        }
    }

    private synchronized void send(BatchJob job) {
        if (!cancelledByUser) {
            call.sendMessage(job);
        }
    }

    private synchronized void halfClose() {
        if (!cancelledByUser) {
            call.halfClose();
        }
    }

    private Object take() {
        try {
            return inbox.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Status.CANCELLED.withDescription("the thread running the batch was interrupted").withCause(e)
                    .asRuntimeException();
        }
    }

    private void checkEnd(Closed closed) {
        if (!closed.status().isOk()) {
            throw closed.status().asRuntimeException(closed.trailers());
        }
        if (!allSent || ended < sent) {
            throw Status.INTERNAL.withDescription("the server ended the batch after " + ended + " of its jobs,"
                    + " before the rest").asRuntimeException();
        }
    }

    /** Reports an event to the listener; whether it was its job's last. */
    private static boolean report(BatchEvent event, BatchListener listener) {
        int index = event.getIndex();
        switch (event.getEventCase()) {
            case JOB -> {
                JobEvent job = event.getJob();
                switch (job.getEventCase()) {
                    case QUEUED -> listener.queued(index, job.getQueued().getJobId(), job.getQueued().getPosition());
                    case STARTED -> listener.started(index, job.getStarted().getJobId());
                    case PROGRESS -> listener.step(index, job.getProgress().getStep(), job.getProgress().getTotal(),
                            job.getProgress().getPreviewPng().toByteArray());
                    case RESULT -> {
                        listener.result(index, job.getResult());
                        return true;
                    }
                    default -> { /* an event a newer server sends: not ours to read */ }
                }
            }
            case FAILURE -> {
                listener.failed(index, Status.fromCodeValue(event.getFailure().getCode())
                        .withDescription(event.getFailure().getMessage()));
                return true;
            }
            default -> { /* an event a newer server sends: not ours to read */ }
        }
        return false;
    }

    /**
     * Cancels the batch, from any thread (or from its listener): the call is closed, which cancels
     * the running job on the server and the rest with it, and {@link #run} throws CANCELLED; events
     * already reported stay reported, and a batch not yet sent is never sent.
     */
    public synchronized void cancel() {
        cancelledByUser = true;
        if (started) {
            call.cancel(CANCELLED_BY_USER, null);
        }
    }

    /** Whether {@link #cancel()} was called: a CANCELLED status from {@link #run} is then the user's cancel. */
    public synchronized boolean cancelledByUser() {
        return cancelledByUser;
    }
}
