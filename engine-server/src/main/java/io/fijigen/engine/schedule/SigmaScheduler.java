package io.fijigen.engine.schedule;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.config.SchedulerConfig;

/**
 * The k-diffusion style schedulers (Euler, Euler ancestral, LMS, Heun): the sample lives at noise
 * level sigma (x = x₀ + σ·ε), the model sees it scaled by 1/√(σ²+1), and each step moves along
 * the derivative (x − x₀)/σ.
 */
abstract class SigmaScheduler implements Scheduler {
    protected final SchedulerConfig config;
    protected final PredictionType prediction;
    protected final double[] timesteps;
    protected final double[] sigmas;

    SigmaScheduler(SchedulerConfig config, SigmaSchedule schedule) {
        this.config = config;
        this.prediction = PredictionType.of(config.predictionType());
        this.timesteps = schedule.timesteps();
        this.sigmas = schedule.sigmas();
    }

    @Override
    public double[] timesteps() {
        return timesteps.clone();
    }

    @Override
    public double[] sigmas() {
        return sigmas.clone();
    }

    /** σ_max for linspace/trailing spacing, √(σ_max²+1) for leading (float32, as the reference). */
    @Override
    public float initNoiseSigma() {
        float max = 0;
        for (double s : sigmas) {
            max = Math.max(max, (float) s);
        }
        if (config.timestepSpacing().equals("leading")) {
            return (float) Math.sqrt(max * max + 1.0f);
        }
        return max;
    }

    /** The sample divided by √(σ²+1), so the model sees unit variance. */
    @Override
    public NDArray scaleModelInput(NDArray sample, int index) {
        checkIndex(index);
        float sigma = (float) sigmas[index];
        float scale = (float) Math.sqrt(sigma * sigma + 1.0f);
        return StepScope.run(sample, scope -> sample.div(scale));
    }

    /** x₀ + σ·ε at timesteps()[index]. */
    @Override
    public NDArray addNoise(NDArray original, NDArray noise, int index) {
        checkIndex(index);
        float sigma = (float) sigmas[index];
        return StepScope.run(original, scope -> original.add(noise.mul(sigma)), noise);
    }

    /** x₀ predicted from the model output at noise level {@code sigma}. */
    protected NDArray predictOriginal(NDArray modelOutput, NDArray sample, float sigma) {
        return switch (prediction) {
            case EPSILON -> sample.sub(modelOutput.mul(sigma));
            case V_PREDICTION -> {
                float variance = sigma * sigma + 1.0f;
                yield modelOutput.mul(-sigma / (float) Math.sqrt(variance)).add(sample.div(variance));
            }
            case SAMPLE -> modelOutput;
        };
    }

    protected void checkIndex(int index) {
        StepChecks.checkIndex(index, timesteps);
    }
}
