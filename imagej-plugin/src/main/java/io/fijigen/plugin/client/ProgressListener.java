package io.fijigen.plugin.client;

/**
 * Follows a job's stream of events. Called on the thread that runs
 * {@link EngineClient#generate}; every method defaults to doing nothing.
 */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() {};

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
