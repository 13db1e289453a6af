package io.fijigen.engine.schedule;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.config.SchedulerConfig;

/** Argument checks and the x₀ clipping that several schedulers share. */
final class StepChecks {
    private StepChecks() {}

    static void checkIndex(int index, double[] timesteps) {
        if (index < 0 || index >= timesteps.length) {
            throw new IndexOutOfBoundsException("step index " + index + " outside 0.." + (timesteps.length - 1));
        }
    }

    /** The stochastic schedulers draw at every step: fail clearly when the caller gave no source. */
    static NoiseSource requireNoise(NoiseSource noise, String who) {
        if (noise == null) {
            throw new IllegalArgumentException(who + " draws noise at every step: pass a NoiseSource");
        }
        return noise;
    }

    /** clip_sample: the predicted x₀ clamped to ±clip_sample_range (DDIM, DDPM, Heun). */
    static NDArray clipSample(NDArray original, SchedulerConfig config) {
        if (!config.clipSample()) {
            return original;
        }
        float range = (float) config.clipSampleRange();
        return original.clip(-range, range);
    }
}
