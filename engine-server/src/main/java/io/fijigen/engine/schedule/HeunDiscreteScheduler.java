package io.fijigen.engine.schedule;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.config.SchedulerConfig;

/**
 * Heun's method (Karras et al. 2022, algorithm 1): an Euler step to σ_next, the model evaluated
 * there, then the step redone with the mean of both derivatives. Two model calls per sigma, so
 * the timesteps repeat every entry after the first (2N − 1 of them) and so do the sigmas.
 */
final class HeunDiscreteScheduler extends SigmaScheduler {
    /** The first half's derivative and starting sample, held until the second half. */
    private final History firstDerivative = new History(1);
    private final History firstSample = new History(1);
    private float dt = Float.NaN;

    HeunDiscreteScheduler(SchedulerConfig config, int steps) {
        super(config, interleaved(SigmaSchedule.discrete(config, NoiseSchedule.of(config), steps,
                config.useKarrasSigmas(), false)));
    }

    @Override
    public int order() {
        return 2;
    }

    @Override
    public NDArray step(NDArray modelOutput, int index, NDArray sample, NoiseSource noise) {
        checkIndex(index);
        firstDerivative.open(sample.getManager());
        firstSample.open(sample.getManager());
        boolean firstOrder = Float.isNaN(dt);
        float sigma = (float) (firstOrder ? sigmas[index] : sigmas[index - 1]);
        float sigmaNext = (float) (firstOrder ? sigmas[index + 1] : sigmas[index]);
        float sigmaInput = firstOrder ? sigma : sigmaNext;
        if (firstOrder) {
            float stepDt = sigmaNext - sigma;
            NDArray derivative = StepScope.run(sample,
                    scope -> sample.sub(clip(predictOriginal(modelOutput, sample, sigmaInput))).div(sigma), modelOutput);
            NDArray result = StepScope.run(sample, scope -> sample.add(derivative.mul(stepDt)), derivative);
            if (index + 1 < timesteps.length) {
                // The last step has no second half: nothing to keep.
                firstDerivative.push(derivative);
                firstSample.push(sample.duplicate());
                dt = stepDt;
            } else {
                derivative.close();
            }
            return result;
        }
        float stepDt = dt;
        NDArray previous = firstDerivative.get(0);
        NDArray start = firstSample.get(0);
        NDArray result = StepScope.run(sample, scope -> {
            NDArray derivative = sample.sub(clip(predictOriginal(modelOutput, sample, sigmaInput))).div(sigmaNext);
            NDArray mean = previous.add(derivative).div(2f);
            return start.add(mean.mul(stepDt));
        }, modelOutput, previous, start);
        firstDerivative.clear();
        firstSample.clear();
        dt = Float.NaN;
        return result;
    }

    private NDArray clip(NDArray original) {
        return StepChecks.clipSample(original, config);
    }

    /** σ₀, σ₁, σ₁, σ₂, σ₂, …, 0 and t₀, t₁, t₁, t₂, t₂, …: each sigma after the first visited twice. */
    private static SigmaSchedule interleaved(SigmaSchedule schedule) {
        double[] t = schedule.timesteps();
        double[] s = schedule.sigmas();
        double[] timesteps = new double[2 * t.length - 1];
        double[] sigmas = new double[2 * s.length - 2];
        for (int i = 0; i < timesteps.length; i++) {
            timesteps[i] = t[(i + 1) / 2];
        }
        for (int i = 0; i < sigmas.length; i++) {
            sigmas[i] = s[(i + 1) / 2];
        }
        return new SigmaSchedule(timesteps, sigmas);
    }
}
