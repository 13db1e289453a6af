package io.fijigen.plugin.ij1;

import ij.IJ;
import io.fijigen.plugin.Inserted;
import io.fijigen.plugin.JobEntry;
import io.fijigen.plugin.JobsModel;
import io.fijigen.plugin.PlanesRun;
import io.fijigen.plugin.layers.LivePreview;

/**
 * A job's events in ImageJ's status bar and progress bar, its previews on a {@link LivePreview}
 * (when there is one), and in the session's {@link JobsModel}, which the Jobs window shows (it
 * opens on the session's first job). Two ways to cancel: the window's Cancel button, and the Esc
 * key: while the job runs, a watcher polls ImageJ's Esc flag.
 *
 * <p>Use: construct before the job, {@link #finished} with its result, {@link #close} after it,
 * whichever way it ended; a job closed without a result ended cancelled or failed.
 */
final class JobProgress implements PlanesRun.Progress, AutoCloseable {
    private static final long ESC_POLL_MILLIS = 100;

    private final String command;
    private final LivePreview preview;
    private final Runnable cancel;
    private final Thread escWatcher;
    private final long id;
    private final long startNanos = System.nanoTime();
    private volatile boolean cancelling;
    private volatile boolean closed;
    // A batch over planes is one job in the Jobs window: queued until its first plane starts, then
    // running until the last ends, whatever the later planes' queue events say.
    private volatile boolean started;
    private boolean ended;
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
        IJ.resetEscape();
        escWatcher = new Thread(() -> {
            while (!closed) {
                if (IJ.escapePressed()) {
                    this.cancel.run();
                    return;
                }
                try {
                    Thread.sleep(ESC_POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "fijigen Esc watcher");
        escWatcher.setDaemon(true);
        escWatcher.start();
    }

    @Override
    public void plane(int index, int count) {
        plane = "plane " + (index + 1) + " of " + count + ", ";
    }

    @Override
    public void queued(String jobId, int position) {
        if (!started) {
            JobsModel.session().queued(id, position);
        }
        IJ.showStatus(command + ": " + plane + "queued" + (position > 0 ? ", " + position + " ahead" : "") + " (Esc cancels)");
    }

    @Override
    public void started(String jobId) {
        if (!started) {
            started = true;
            JobsModel.session().started(id);
        }
        IJ.showStatus(command + ": " + plane + "started (Esc cancels)");
    }

    @Override
    public void step(int step, int total, byte[] previewPng) {
        JobsModel.session().step(id, step, total, previewPng);
        IJ.showStatus(command + ": " + plane + "step " + step + "/" + total + " (Esc cancels)");
        IJ.showProgress(step, total);
        if (preview != null) {
            preview.show(previewPng);
        }
    }

    /** The job produced {@code inserted}: it goes into the Jobs window's history with its parameters. */
    void finished(Inserted inserted) {
        end(JobEntry.State.FINISHED, inserted.result().getParameters());
    }

    @Override
    public void close() {
        closed = true;
        escWatcher.interrupt();
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
