package io.fijigen.engine.cli;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.hub.DownloadListener;
import io.fijigen.engine.pipeline.StepListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress on the terminal, of denoising ("[#####     ] 5/10 steps") or of a download, one bar per file
 * ("[###       ] 1.2/4.7 MiB unet/diffusion_pytorch_model.safetensors"); silent when stderr is not a
 * terminal, so logs and pipes get no carriage returns.
 */
final class ProgressBar implements StepListener, DownloadListener, AutoCloseable {
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private boolean drawn;
    private String file;
    private long lastFilled = -1;

    private ProgressBar(PrintWriter err) {
        this.err = err;
    }

    static ProgressBar onTerminal(PrintWriter err) {
        return drawingTo(System.console() != null ? err : null);
    }

    /** A bar on {@code err} whether or not it is a terminal (null: silent); for tests. */
    static ProgressBar drawingTo(PrintWriter err) {
        return new ProgressBar(err);
    }

    @Override
    public boolean onStep(int step, int total, NDArray latents) {
        draw(step, total, String.format(Locale.ROOT, "%d/%d steps", step, total));
        return true;
    }

    @Override
    public void onBytes(String file, long done, long total) {
        if (err == null) {
            return;
        }
        if (!file.equals(this.file)) {
            close();
            this.file = file;
            lastFilled = -1;
        }
        // A multi-GiB file arrives in tens of thousands of blocks: redraw only when another thousandth has come.
        long filled = total == 0 ? 1000 : done * 1000 / total;
        if (filled != lastFilled) {
            lastFilled = filled;
            draw(done, total, String.format(Locale.ROOT, "%.1f/%.1f MiB %s", done / 1048576.0, total / 1048576.0, file));
        }
    }

    private void draw(long done, long total, String label) {
        if (err != null) {
            int filled = total == 0 ? WIDTH : (int) (done * WIDTH / total);
            err.printf("\r[%s%s] %s", "#".repeat(filled), " ".repeat(WIDTH - filled), label);
            err.flush();
            drawn = true;
        }
    }

    @Override
    public void close() {
        if (drawn) {
            err.println();
            err.flush();
            drawn = false;
        }
    }
}
