package io.fijigen.engine.cli;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.pipeline.StepListener;
import java.io.PrintWriter;

/** Denoising progress on the terminal ("[#####     ] 5/10 steps"), silent when stderr is not a terminal. */
final class ProgressBar implements StepListener, AutoCloseable {
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private boolean drawn;

    private ProgressBar(PrintWriter err) {
        this.err = err;
    }

    static ProgressBar onTerminal(PrintWriter err) {
        return new ProgressBar(System.console() != null ? err : null);
    }

    @Override
    public boolean onStep(int step, int total, NDArray latents) {
        if (err != null) {
            int filled = step * WIDTH / total;
            err.printf("\r[%s%s] %d/%d steps", "#".repeat(filled), " ".repeat(WIDTH - filled), step, total);
            err.flush();
            drawn = true;
        }
        return true;
    }

    @Override
    public void close() {
        if (drawn) {
            err.println();
            err.flush();
        }
    }
}
