package io.fijigen.engine.schedule;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.config.SchedulerConfig;

/**
 * Euler ancestral ("Euler a"): an Euler step down to σ_down, then fresh noise of σ_up, where
 * σ_up² + σ_down² = σ_next² and σ_up is the ancestral (DDPM posterior) share.
 */
final class EulerAncestralDiscreteScheduler extends SigmaScheduler {

    EulerAncestralDiscreteScheduler(SchedulerConfig config, int steps) {
        super(config, SigmaSchedule.discrete(config, NoiseSchedule.of(config), steps, false, false));
        if (prediction == PredictionType.SAMPLE) {
            // The reference raises NotImplementedError for it.
            throw new IllegalArgumentException("EulerAncestralDiscreteScheduler: prediction_type sample is not"
                    + " supported (supported: epsilon, v_prediction)");
        }
    }

    @Override
    public NDArray step(NDArray modelOutput, int index, NDArray sample, NoiseSource noise) {
        checkIndex(index);
        NoiseSource source = StepChecks.requireNoise(noise, "Euler ancestral");
        float sigmaFrom = (float) sigmas[index];
        float sigmaTo = (float) sigmas[index + 1];
        float sigmaUp = (float) Math.sqrt(sigmaTo * sigmaTo * (sigmaFrom * sigmaFrom - sigmaTo * sigmaTo)
                / (sigmaFrom * sigmaFrom));
        float sigmaDown = (float) Math.sqrt(sigmaTo * sigmaTo - sigmaUp * sigmaUp);
        float dt = sigmaDown - sigmaFrom;
        return StepScope.run(sample, scope -> {
            NDArray original = predictOriginal(modelOutput, sample, sigmaFrom);
            NDArray derivative = sample.sub(original).div(sigmaFrom);
            NDArray prev = sample.add(derivative.mul(dt));
            return prev.add(StepScope.noiseLike(sample, source, scope).mul(sigmaUp));
        }, modelOutput);
    }
}
