package io.fijigen.engine.schedule;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.config.SchedulerConfig;

/**
 * Euler's method on the probability-flow ODE (Karras et al. 2022, algorithm 2 without churn):
 * x ← x + (x − x₀)/σ · (σ_next − σ).
 */
final class EulerDiscreteScheduler extends SigmaScheduler {

    EulerDiscreteScheduler(SchedulerConfig config, int steps) {
        super(config, SigmaSchedule.discrete(config, NoiseSchedule.of(config), steps, config.useKarrasSigmas(),
                config.finalSigmasType().equals("sigma_min")));
    }

    @Override
    public NDArray step(NDArray modelOutput, int index, NDArray sample, NoiseSource noise) {
        checkIndex(index);
        float sigma = (float) sigmas[index];
        float dt = (float) sigmas[index + 1] - sigma;
        return StepScope.run(sample, scope -> {
            NDArray original = predictOriginal(modelOutput, sample, sigma);
            NDArray derivative = sample.sub(original).div(sigma);
            return sample.add(derivative.mul(dt));
        }, modelOutput);
    }
}
