package io.fijigen.engine.pipeline;

import ai.djl.ndarray.NDArray;

/**
 * The steps of a job that runs several denoising passes (the hires fix's first pass, x4 upscales and
 * second pass; Refine Upscale's x4 upscale and tiles) counted on as one job's, so that a progress bar
 * runs once to its end instead of starting over with each pass: step s of a pass is step done + s of
 * the job's total, fixed before the first pass. A pass has ended when it reports its last step.
 *
 * <p>The latents go on as the pass reports them, so a preview made from them is of that pass (an x4
 * pass's latents are its low-res grid).
 */
public final class PassProgress implements StepListener {
    private final StepListener listener;
    private final int total;
    private int done;

    /** @param total the steps of all the job's passes together */
    public PassProgress(StepListener listener, int total) {
        this.listener = listener;
        this.total = total;
    }

    @Override
    public boolean onStep(int step, int passTotal, NDArray latents) {
        int jobStep = done + step;
        if (step == passTotal) {
            done += passTotal;
        }
        return listener.onStep(jobStep, total, latents);
    }

    @Override
    public boolean cancelled() {
        return listener.cancelled();
    }
}
