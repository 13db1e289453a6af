package io.fijigen.engine.server;

import io.fijigen.proto.v1.BatchEvent;
import io.fijigen.proto.v1.BatchJob;
import io.fijigen.proto.v1.JobEvent;
import io.fijigen.proto.v1.JobFailure;
import io.fijigen.proto.v1.Progress;
import io.fijigen.proto.v1.Result;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.function.BiConsumer;

/**
 * The jobs of one Batch call, run one after another in the order they arrive. The call reads
 * (asks the transport for) the next {@code BatchJob} only once the job before has ended, so the
 * server holds one job's input at a time however long the batch: a stack's slices wait on the
 * client, not here. Each job starts as its own Generate or Upscale call would, through the
 * service; its events go out marked with its index, and its failure either ends the call, the
 * message prefixed with "job K: ", or with {@code continue_on_error} goes out as a
 * {@code JobFailure} before the next job is read.
 */
final class JobBatch implements StreamObserver<BatchJob> {
    /**
     * The most jobs one call runs: a large stack's slices, or a folder's files, fit; a client that
     * sends without end is stopped, with what its batch did so far delivered.
     */
    static final int MAX_JOBS = 10_000;

    private final ServerCallStreamObserver<BatchEvent> observer;
    private final EventStream<BatchEvent> stream;
    private final BiConsumer<BatchJob, JobEvents> start;
    private int received;
    private boolean running;
    private boolean halfClosed;

    /**
     * Called from the service's method, while the call may still be set up.
     *
     * @param start starts a job as its own call would, its events going to the given {@link JobEvents}
     */
    JobBatch(ServerCallStreamObserver<BatchEvent> observer, ResultMemory memory, BiConsumer<BatchJob, JobEvents> start) {
        this.observer = observer;
        this.stream = new EventStream<>(observer, memory);
        this.start = start;
        observer.disableAutoRequest();
        observer.request(1);
    }

    @Override
    public void onNext(BatchJob job) {
        int index;
        synchronized (this) {
            index = received++;
            running = true;
        }
        if (index >= MAX_JOBS) {
            stream.fail(Status.INVALID_ARGUMENT.withDescription("job " + (index + 1) + ": a batch holds at most "
                    + MAX_JOBS + " jobs; send the rest in another batch"));
            return;
        }
        start.accept(job, new Job(index, job.getContinueOnError()));
    }

    @Override
    public synchronized void onCompleted() {
        halfClosed = true;
        if (!running) {
            stream.complete();
        }
    }

    /** The client cancelled the call: the stream's cancel handler has cancelled the running job, and no job is read after it. */
    @Override
    public void onError(Throwable error) {}

    private synchronized void jobEnded() {
        running = false;
        if (!stream.isOpen()) {
            return;
        }
        if (halfClosed) {
            stream.complete();
        } else {
            observer.request(1);
        }
    }

    /** One job's place in the batch. */
    private final class Job implements JobEvents {
        private final int index;
        private final boolean continueOnError;

        Job(int index, boolean continueOnError) {
            this.index = index;
            this.continueOnError = continueOnError;
        }

        @Override
        public void milestone(JobEvent event) {
            stream.milestone(of(event));
        }

        @Override
        public void progress(Progress progress) {
            stream.progress(of(JobEvent.newBuilder().setProgress(progress).build()));
        }

        @Override
        public void result(Result result) {
            stream.result(of(JobEvent.newBuilder().setResult(result).build()));
            jobEnded();
        }

        /** UNAVAILABLE ends the batch whatever the job asked: every job after it would be refused the same way. */
        @Override
        public void failed(Status status) {
            if (continueOnError && status.getCode() != Status.Code.UNAVAILABLE) {
                stream.milestone(BatchEvent.newBuilder().setIndex(index).setFailure(JobFailure.newBuilder()
                        .setCode(status.getCode().value()).setMessage(status.getDescription())).build());
                jobEnded();
            } else {
                stream.fail(status.withDescription(
                        Statuses.forClient("job " + (index + 1) + ": " + status.getDescription())));
            }
        }

        @Override
        public void onCancel(Runnable cancelJob) {
            stream.onCancel(cancelJob);
        }

        private BatchEvent of(JobEvent event) {
            return BatchEvent.newBuilder().setIndex(index).setJob(event).build();
        }
    }
}
