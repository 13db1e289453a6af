package io.fijigen.engine.pipeline;

import ai.djl.ndarray.NDArray;

/**
 * Told after every denoising step; returning false cancels the job (it then ends with a {@link
 * java.util.concurrent.CancellationException}). {@code latents} is valid only during the call.
 */
@FunctionalInterface
public interface StepListener {
    StepListener NONE = (step, total, latents) -> true;

    /** @param step 1-based count of steps done, of {@code total} */
    boolean onStep(int step, int total, NDArray latents);
}
