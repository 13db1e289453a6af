package io.fijigen.engine.schedule;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.config.SchedulerConfig;

/**
 * DDPM (Ho et al. 2020) ancestral sampling over the chosen timesteps: the posterior mean of
 * x_prev given x_t and the predicted x₀, plus noise of the posterior variance ("fixed_small")
 * at every step but one ending at t = 0.
 */
final class DDPMScheduler extends AlphaScheduler {
    private final double[] timesteps;

    DDPMScheduler(SchedulerConfig config, int steps) {
        super(config, steps);
        if (!"fixed_small".equals(config.varianceType())) {
            throw new IllegalArgumentException("DDPMScheduler: variance_type " + config.varianceType()
                    + " is not supported (supported: fixed_small)");
        }
        this.timesteps = spacedTimesteps();
    }

    @Override
    public double[] timesteps() {
        return timesteps.clone();
    }

    @Override
    public NDArray step(NDArray modelOutput, int index, NDArray sample, NoiseSource noise) {
        StepChecks.checkIndex(index, timesteps);
        int t = (int) timesteps[index];
        // Unlike DDIM, the previous timestep is the next entry of the schedule, and ᾱ before t = 0 is 1.
        int prevT = index + 1 < timesteps.length ? (int) timesteps[index + 1] : -1;
        float alphaProd = schedule.alphaCumprod(t);
        float alphaProdPrev = alphaCumprod(prevT, 1.0f);
        float betaProd = 1.0f - alphaProd;
        float betaProdPrev = 1.0f - alphaProdPrev;
        float currentAlpha = alphaProd / alphaProdPrev;
        float currentBeta = 1.0f - currentAlpha;
        float originalCoeff = (float) Math.sqrt(alphaProdPrev) * currentBeta / betaProd;
        float sampleCoeff = (float) Math.sqrt(currentAlpha) * betaProdPrev / betaProd;
        float variance = Math.max(betaProdPrev / betaProd * currentBeta, 1e-20f);
        float stdDev = (float) Math.sqrt(variance);
        NoiseSource source = t > 0 ? StepChecks.requireNoise(noise, "DDPM") : null;
        return StepScope.run(sample, scope -> {
            NDArray original = clip(predictOriginal(modelOutput, sample, alphaProd));
            NDArray mean = original.mul(originalCoeff).add(sample.mul(sampleCoeff));
            return source == null ? mean : mean.add(StepScope.noiseLike(sample, source, scope).mul(stdDev));
        }, modelOutput);
    }
}
