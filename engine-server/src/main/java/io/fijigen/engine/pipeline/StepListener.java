package io.fijigen.engine.pipeline;

import ai.djl.ndarray.NDArray;
import java.util.concurrent.CancellationException;

/**
 * Told after every denoising step; returning false cancels the job (it then ends with a {@link
 * CancellationException}). {@code latents} is valid only during the call.
 *
 * <p>A step can be long (an x4 upscale of 256² in tiles of 8 ran 66 s in one step), so the
 * pipeline also asks {@link #cancelled()} at its cancellation points inside a step: before each
 * step, between UNet tiles, before each ControlNet unit and the UNet call, before the VAE decode
 * and between its tiles. A cancelled job thus stops within one network call on one tile.
 */
@FunctionalInterface
public interface StepListener {
    StepListener NONE = (step, total, latents) -> true;

    /** @param step 1-based count of steps done, of {@code total} */
    boolean onStep(int step, int total, NDArray latents);

    /** Whether the job should stop at its next cancellation point; never, unless overridden. */
    default boolean cancelled() {
        return false;
    }

    /** A cancellation point: ends the job here, as a false {@link #onStep} does, when it is cancelled. */
    default void stopIfCancelled(String where) {
        if (cancelled()) {
            throw new CancellationException("cancelled " + where);
        }
    }
}
