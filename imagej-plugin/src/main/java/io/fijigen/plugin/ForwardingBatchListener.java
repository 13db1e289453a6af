package io.fijigen.plugin;

import io.fijigen.proto.client.BatchListener;
import io.fijigen.proto.client.JobListener;

/**
 * A batch's listener that passes each job's queue, start and step events on to one job listener,
 * the progress of the plane or file running now (the batch runs its jobs one at a time).
 */
interface ForwardingBatchListener extends BatchListener {
    /** Where the running job's events go. */
    JobListener jobProgress();

    @Override
    default void queued(int index, String jobId, int position) {
        jobProgress().queued(jobId, position);
    }

    @Override
    default void started(int index, String jobId) {
        jobProgress().started(jobId);
    }

    @Override
    default void step(int index, int step, int total, byte[] previewPng) {
        jobProgress().step(step, total, previewPng);
    }
}
