package io.fijigen.plugin.ij1;

import ij.IJ;
import io.fijigen.plugin.layers.LivePreview;
import io.fijigen.proto.client.JobListener;

/**
 * A job's events in ImageJ's status bar and progress bar, its previews on a {@link LivePreview}
 * (when there is one), and the Esc key as the way to cancel: while the job runs, a watcher polls
 * ImageJ's Esc flag and calls {@code cancel}.
 */
final class JobProgress implements JobListener, AutoCloseable {
    private static final long ESC_POLL_MILLIS = 100;

    private final String command;
    private final LivePreview preview;
    private final Thread escWatcher;
    private volatile boolean finished;

    /**
     * @param preview where step previews go; null: none
     * @param cancel what Esc does
     */
    JobProgress(String command, LivePreview preview, Runnable cancel) {
        this.command = command;
        this.preview = preview;
        IJ.resetEscape();
        escWatcher = new Thread(() -> {
            while (!finished) {
                if (IJ.escapePressed()) {
                    IJ.showStatus(command + ": cancelling…");
                    cancel.run();
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
    public void queued(String jobId, int position) {
        IJ.showStatus(command + ": queued" + (position > 0 ? ", " + position + " ahead" : "") + " (Esc cancels)");
    }

    @Override
    public void started(String jobId) {
        IJ.showStatus(command + ": started (Esc cancels)");
    }

    @Override
    public void step(int step, int total, byte[] previewPng) {
        IJ.showStatus(command + ": step " + step + "/" + total + " (Esc cancels)");
        IJ.showProgress(step, total);
        if (preview != null) {
            preview.show(previewPng);
        }
    }

    @Override
    public void close() {
        finished = true;
        escWatcher.interrupt();
        if (preview != null) {
            preview.close();
        }
        IJ.showProgress(1.0);
    }
}
