package io.fijigen.engine.schedule;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.config.SchedulerConfig;

/**
 * DDIM (Song et al. 2020): deterministic for eta 0; eta > 0 adds fresh noise of eta times the
 * DDPM posterior standard deviation at each step.
 */
final class DDIMScheduler extends AlphaScheduler {
    private final double[] timesteps;
    private final double eta;
    private final float finalAlphaCumprod;

    DDIMScheduler(SchedulerConfig config, int steps, double eta) {
        super(config, steps);
        if (eta < 0) {
            throw new IllegalArgumentException("eta must be >= 0, got " + eta);
        }
        this.timesteps = spacedTimesteps();
        this.eta = eta;
        this.finalAlphaCumprod = finalAlphaCumprodOfConfig();
    }

    @Override
    public double[] timesteps() {
        return timesteps.clone();
    }

    @Override
    public NDArray step(NDArray modelOutput, int index, NDArray sample, NoiseSource noise) {
        StepChecks.checkIndex(index, timesteps);
        int t = (int) timesteps[index];
        // The reference steps back by a fixed stride, not to the next entry of timesteps.
        int prevT = t - config.numTrainTimesteps() / steps;
        float alphaProd = alphaCumprod(t, finalAlphaCumprod);
        float alphaProdPrev = alphaCumprod(prevT, finalAlphaCumprod);
        float betaProd = 1.0f - alphaProd;
        float betaProdPrev = 1.0f - alphaProdPrev;
        float variance = (betaProdPrev / betaProd) * (1.0f - alphaProd / alphaProdPrev);
        float stdDev = (float) (eta * Math.sqrt(variance));
        float directionCoeff = (float) Math.sqrt(1.0f - alphaProdPrev - stdDev * stdDev);
        float sqrtAlphaPrev = (float) Math.sqrt(alphaProdPrev);
        return StepScope.run(sample, scope -> {
            NDArray unclipped = predictOriginal(modelOutput, sample, alphaProd);
            // ε comes from the unclipped x₀ (the reference's use_clipped_model_output=False).
            NDArray epsilon = predictEpsilon(modelOutput, sample, unclipped, alphaProd);
            NDArray original = clip(unclipped);
            NDArray prev = original.mul(sqrtAlphaPrev).add(epsilon.mul(directionCoeff));
            if (eta > 0) {
                NoiseSource source = StepChecks.requireNoise(noise, "DDIM with eta > 0");
                prev = prev.add(StepScope.noiseLike(sample, source, scope).mul(stdDev));
            }
            return prev;
        }, modelOutput);
    }
}
