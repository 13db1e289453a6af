package io.fijigen.proto.client;

/**
 * Follows a job's events as {@link JobCall#run} reads them, on the thread that runs it; every
 * method defaults to doing nothing. A listener may call {@link JobCall#cancel()}; one that throws
 * ends the job (the call is cancelled) and its exception comes out of {@link JobCall#run}.
 */
public interface JobListener {
    JobListener NONE = new JobListener() {};

    /** The job is waiting; {@code position} jobs are ahead of it (0: it runs next). */
    default void queued(String jobId, int position) {}

    /** The job has started (its model is loaded). */
    default void started(String jobId) {}

    /**
     * A denoising step has finished.
     *
     * @param previewPng a preview PNG of the first image, or empty when none was asked for
     */
    default void step(int step, int total, byte[] previewPng) {}
}
