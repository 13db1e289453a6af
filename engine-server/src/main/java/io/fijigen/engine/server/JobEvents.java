package io.fijigen.engine.server;

import io.fijigen.proto.v1.JobEvent;
import io.fijigen.proto.v1.Progress;
import io.fijigen.proto.v1.Result;
import io.grpc.Status;

/**
 * Where one job's events go: the job's own Generate or Upscale call ({@link JobCallEvents}), or its
 * place in a Batch call ({@link JobBatch}). The job ends with exactly one of {@link #result} and
 * {@link #failed}. Called from the queue's threads and the call's; implementations must not block.
 */
interface JobEvents {
    /** Queued or Started: always sent. */
    void milestone(JobEvent event);

    /** A step: conflated while the client reads slowly. */
    void progress(Progress progress);

    void result(Result result);

    /** The job failed or was cancelled; {@code status} as {@link Statuses} makes it. */
    void failed(Status status);

    /** What the client's leaving the call does: cancel this job. */
    void onCancel(Runnable cancelJob);
}
