package io.fijigen.engine.schedule;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.config.SchedulerConfig;

/**
 * Latent Consistency Models' multistep sampling (Luo et al. 2023): each step maps the sample to the
 * consistency function's x₀ estimate, {@code c_skip·x + c_out·x̂₀} with the boundary conditions of
 * σ_data = 0.5 at t·timestep_scaling, then, on every step but the last, noises it afresh to the next
 * timestep. The last step returns the estimate itself.
 */
final class LCMScheduler extends ConsistencyScheduler {
    private static final double SIGMA_DATA = 0.5;

    LCMScheduler(SchedulerConfig config, int steps) {
        super(config, steps);
    }

    @Override
    public NDArray step(NDArray modelOutput, int index, NDArray sample, NoiseSource noise) {
        checkIndex(index);
        int t = (int) timesteps[index];
        // The reference's "previous" timestep of the last step is t itself; that step adds no noise.
        int prevT = isLast(index) ? t : (int) timesteps[index + 1];
        float alphaProd = schedule.alphaCumprod(t);
        float alphaProdPrev = schedule.alphaCumprod(prevT);
        double scaled = t * config.timestepScaling();
        float cSkip = (float) (SIGMA_DATA * SIGMA_DATA / (scaled * scaled + SIGMA_DATA * SIGMA_DATA));
        float cOut = (float) (scaled / Math.sqrt(scaled * scaled + SIGMA_DATA * SIGMA_DATA));
        NoiseSource source = isLast(index) ? null : StepChecks.requireNoise(noise, "LCM");
        float sqrtAlphaPrev = (float) Math.sqrt(alphaProdPrev);
        float sqrtBetaPrev = (float) Math.sqrt(1.0f - alphaProdPrev);
        return StepScope.run(sample, scope -> {
            NDArray original = clip(predictOriginal(modelOutput, sample, alphaProd));
            NDArray denoised = original.mul(cOut).add(sample.mul(cSkip));
            if (source == null) {
                return denoised;
            }
            return denoised.mul(sqrtAlphaPrev).add(StepScope.noiseLike(sample, source, scope).mul(sqrtBetaPrev));
        }, modelOutput);
    }
}
