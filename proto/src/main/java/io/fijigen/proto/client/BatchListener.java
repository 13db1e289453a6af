package io.fijigen.proto.client;

import io.fijigen.proto.v1.Result;
import io.grpc.Status;

/**
 * Follows a batch's events as {@link BatchCall#run} reads them, on the thread that runs it, each
 * with its job's index (0 for the first job the batch's iterator gave). A job's events come as a
 * {@link JobListener}'s do, then its {@link #result} or, when it continued on error, its
 * {@link #failed}. A listener may call {@link BatchCall#cancel()}; one that throws ends the batch
 * (the call is cancelled) and its exception comes out of {@link BatchCall#run}.
 */
public interface BatchListener {
    /** Job {@code index} is waiting; {@code position} jobs are ahead of it (0: it runs next). */
    default void queued(int index, String jobId, int position) {}

    /** Job {@code index} has started (its model is loaded). */
    default void started(int index, String jobId) {}

    /**
     * A denoising step of job {@code index} has finished.
     *
     * @param previewPng a preview PNG of the first image, or empty when none was asked for
     */
    default void step(int index, int step, int total, byte[] previewPng) {}

    /** Job {@code index} has finished: its last event. */
    void result(int index, Result result);

    /**
     * Job {@code index}, sent with {@code continue_on_error}, failed with {@code status} (its own
     * description, without the index); the batch goes on.
     */
    default void failed(int index, Status status) {}
}
