package io.fijigen.engine.schedule;

import ai.djl.ndarray.NDArray;

/**
 * One job's scheduler: configured for a number of steps, holding that job's step state (the
 * multistep history). Not thread-safe; one per job.
 *
 * <p>Index-based: the denoising loop passes the index into {@link #timesteps()} rather than the
 * timestep value. Img2img starts the loop at {@code tStart * order()} (the reference's
 * {@code set_begin_index}); multistep schedulers count their history from the first step actually
 * taken, as the reference does.
 */
public interface Scheduler {
    /** The model's timesteps in loop order, as the reference's {@code scheduler.timesteps}. */
    double[] timesteps();

    /** The sigma schedule of the sigma-based schedulers (one longer than the steps); empty for the others. */
    double[] sigmas();

    /** The factor applied to unit-variance initial noise: 1 unless the scheduler works in sigmas. */
    default float initNoiseSigma() {
        return 1.0f;
    }

    /** The reference's {@code scheduler.order}: model evaluations per timestep (Heun 2, others 1). */
    default int order() {
        return 1;
    }

    /** The model input for the step at {@code index}: {@code sample} itself unless the scheduler scales it. */
    default NDArray scaleModelInput(NDArray sample, int index) {
        return sample;
    }

    /**
     * One denoising step at {@code timesteps()[index]}; returns the previous (less noisy) sample in
     * the manager of {@code sample}. {@code noise} is drawn from only by stochastic schedulers
     * (Euler ancestral, DDPM, DDIM with eta > 0) and may be null for the others.
     */
    NDArray step(NDArray modelOutput, int index, NDArray sample, NoiseSource noise);

    /** Forward diffusion of clean latents to {@code timesteps()[index]} (the reference's {@code add_noise}). */
    NDArray addNoise(NDArray original, NDArray noise, int index);
}
