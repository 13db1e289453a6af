package io.fijigen.engine.schedule;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.config.SchedulerConfig;

/**
 * The schedulers that work in ᾱ (alphas_cumprod) at integer timesteps rather than in sigmas:
 * DDIM, DDPM and PNDM. Their model input is the sample as is and their initial noise has unit
 * variance.
 */
abstract class AlphaScheduler implements Scheduler {
    protected final SchedulerConfig config;
    protected final NoiseSchedule schedule;
    protected final PredictionType prediction;
    protected final int steps;

    AlphaScheduler(SchedulerConfig config, int steps) {
        if (steps > config.numTrainTimesteps()) {
            throw new IllegalArgumentException("steps (" + steps + ") cannot exceed num_train_timesteps ("
                    + config.numTrainTimesteps() + ")");
        }
        this.config = config;
        this.schedule = NoiseSchedule.of(config);
        this.prediction = PredictionType.of(config.predictionType());
        this.steps = steps;
    }

    /**
     * The config's spacing of {@code steps} integer timesteps, descending.
     *
     * @throws IllegalArgumentException when the first lies beyond the training timesteps: "leading"
     *     adds steps_offset after spacing, so SD's steps_offset 1 at 1000 steps reaches timestep 1000
     *     of 0..999, where diffusers fails with an IndexError; the message names the most steps that fit
     */
    protected double[] spacedTimesteps() {
        double[] timesteps = spacing(steps);
        if (timesteps[0] >= config.numTrainTimesteps()) {
            int fit = steps - 1;
            while (spacing(fit)[0] >= config.numTrainTimesteps()) {
                fit--;
            }
            throw new IllegalArgumentException("steps: " + steps + " would start at timestep "
                    + (long) timesteps[0] + ", beyond the schedule's " + config.numTrainTimesteps()
                    + " training timesteps (timestep_spacing " + config.timestepSpacing() + ", steps_offset "
                    + config.stepsOffset() + "); this scheduler takes at most " + fit + " steps on this model");
        }
        return timesteps;
    }

    private double[] spacing(int count) {
        return TimestepSpacing.discrete(config.timestepSpacing(), config.numTrainTimesteps(), count,
                config.stepsOffset());
    }

    /** The ᾱ "before" t = 0, used by the last step: 1 with set_alpha_to_one, else ᾱ₀. */
    protected float finalAlphaCumprodOfConfig() {
        return config.setAlphaToOne() ? 1.0f : schedule.alphaCumprod(0);
    }

    @Override
    public double[] sigmas() {
        return new double[0];
    }

    /** ᾱ at {@code t}; before the first training step, {@code finalValue} (set_alpha_to_one or ᾱ₀). */
    protected float alphaCumprod(int t, float finalValue) {
        return t >= 0 ? schedule.alphaCumprod(t) : finalValue;
    }

    /** √ᾱ·x₀ + √(1−ᾱ)·ε at timesteps()[index], in float32 as the reference. */
    @Override
    public NDArray addNoise(NDArray original, NDArray noise, int index) {
        checkIndex(index);
        float alphaProd = schedule.alphaCumprod((int) timesteps()[index]);
        float sqrtAlpha = (float) Math.sqrt(alphaProd);
        float sqrtOneMinus = (float) Math.sqrt(1.0f - alphaProd);
        return StepScope.run(original, scope -> original.mul(sqrtAlpha).add(noise.mul(sqrtOneMinus)), noise);
    }

    /** x₀ predicted from the model output at ᾱ = {@code alphaProd}. */
    protected NDArray predictOriginal(NDArray modelOutput, NDArray sample, float alphaProd) {
        float sqrtAlpha = (float) Math.sqrt(alphaProd);
        float sqrtBeta = (float) Math.sqrt(1.0f - alphaProd);
        return switch (prediction) {
            case EPSILON -> sample.sub(modelOutput.mul(sqrtBeta)).div(sqrtAlpha);
            case SAMPLE -> modelOutput;
            case V_PREDICTION -> sample.mul(sqrtAlpha).sub(modelOutput.mul(sqrtBeta));
        };
    }

    /** ε predicted from the model output at ᾱ = {@code alphaProd}, given the predicted x₀. */
    protected NDArray predictEpsilon(NDArray modelOutput, NDArray sample, NDArray original, float alphaProd) {
        float sqrtAlpha = (float) Math.sqrt(alphaProd);
        float sqrtBeta = (float) Math.sqrt(1.0f - alphaProd);
        return switch (prediction) {
            case EPSILON -> modelOutput;
            case SAMPLE -> sample.sub(original.mul(sqrtAlpha)).div(sqrtBeta);
            case V_PREDICTION -> modelOutput.mul(sqrtAlpha).add(sample.mul(sqrtBeta));
        };
    }

    protected NDArray clip(NDArray original) {
        return StepChecks.clipSample(original, config);
    }

    protected void checkIndex(int index) {
        StepChecks.checkIndex(index, timesteps());
    }
}
