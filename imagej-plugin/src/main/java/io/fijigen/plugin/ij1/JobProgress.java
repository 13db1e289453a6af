package io.fijigen.plugin.ij1;

import ij.IJ;
import io.fijigen.plugin.FolderRun;
import io.fijigen.plugin.Inserted;
import io.fijigen.plugin.JobEntry;
import io.fijigen.plugin.JobsModel;
import io.fijigen.plugin.layers.LivePreview;

/**
 * A job's events in ImageJ's status bar and progress bar, its previews on a {@link LivePreview}
 * (when there is one), and in the session's {@link JobsModel}, which the Jobs window shows (it
 * opens on the session's first job). Two ways to cancel: the window's Cancel button, and the Esc
 * key ({@link EscapeKey}).
 *
 * <p>Use: construct before the job, {@link #finished} with its result, {@link #close} after it,
 * whichever way it ended; a job closed without a result ended cancelled or failed.
 */
final class JobProgress implements FolderRun.Progress, AutoCloseable {
    private final String command;
    private final LivePreview preview;
    private final Runnable cancel;
    private final EscapeKey escape;
    private final long id;
    private final long startNanos = System.nanoTime();
    private volatile boolean cancelling;
    // A batch's jobs each queue and start: the Jobs window shows the batch running from its first start on.
    private volatile boolean started;
    private boolean ended;
    // "file k of n (name), " while a batch over a folder runs; empty otherwise.
    private volatile String file = "";
    // "plane k of n, " while a batch over planes runs; empty for one job.
    private volatile String plane = "";

    /**
     * @param prompt the job's prompt, which titles it in the Jobs window
     * @param preview where step previews go; null: none
     * @param cancel cancels the job (Esc, or Cancel in the Jobs window)
     * @param rerun runs the job again, for the Jobs window's Re-run; null: no Re-run
     */
    JobProgress(String command, String prompt, LivePreview preview, Runnable cancel, Runnable rerun) {
        this.command = command;
        this.preview = preview;
        this.cancel = () -> {
            cancelling = true;
            IJ.showStatus(command + ": cancelling…");
            cancel.run();
        };
        id = JobsModel.session().add(command, prompt, this.cancel, rerun);
        JobsWindow.openOnFirstJob();
        escape = new EscapeKey(this.cancel);
    }

    @Override
    public void file(int index, int count, String name) {
        file = "file " + (index + 1) + " of " + count + " (" + name + "), ";
        plane = "";
    }

    @Override
    public void plane(int index, int count) {
        plane = "plane " + (index + 1) + " of " + count + ", ";
    }

    /** A file of a folder failed: a line in the Log at once, naming it; the run goes on. */
    @Override
    public void failed(String failure) {
        IJ.log("fijigen " + command + ": " + failure);
    }

    @Override
    public void queued(String jobId, int position) {
        if (!started) {
            JobsModel.session().queued(id, position);
        }
        IJ.showStatus(command + ": " + file + plane + "queued" + (position > 0 ? ", " + position + " ahead" : "")
                + " (Esc cancels)");
    }

    @Override
    public void started(String jobId) {
        if (!started) {
            started = true;
            JobsModel.session().started(id);
        }
        IJ.showStatus(command + ": " + file + plane + "started (Esc cancels)");
    }

    @Override
    public void step(int step, int total, byte[] previewPng) {
        JobsModel.session().step(id, step, total, previewPng);
        IJ.showStatus(command + ": " + file + plane + "step " + step + "/" + total + " (Esc cancels)");
        IJ.showProgress(step, total);
        if (preview != null) {
            preview.show(previewPng);
        }
    }

    /** The job produced {@code inserted}: it goes into the Jobs window's history with its parameters. */
    void finished(Inserted inserted) {
        finished(inserted.result().getParameters());
    }

    /** The job, or batch, ended as it should: it goes into the Jobs window's history with {@code parameters}. */
    void finished(String parameters) {
        end(JobEntry.State.FINISHED, parameters);
    }

    @Override
    public void close() {
        escape.close();
        if (!ended) {
            end(cancelling ? JobEntry.State.CANCELLED : JobEntry.State.FAILED, "");
        }
        if (preview != null) {
            preview.close();
        }
        IJ.showProgress(1.0);
    }

    private void end(JobEntry.State state, String parameters) {
        ended = true;
        JobsModel.session().ended(id, state, parameters, (System.nanoTime() - startNanos) / 1e9);
    }
}
