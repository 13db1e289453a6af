package io.fijigen.engine.schedule;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.config.SchedulerConfig;

/**
 * The exponential-integrator multistep solvers (DPM-Solver++, UniPC): they work on the data
 * prediction x₀ in λ = log(α/σ) time, with α_t = 1/√(σ²+1) and σ_t = σ·α_t, and keep the last
 * x₀ predictions. Their history counts from the first step taken, so a loop that starts
 * part-way (img2img) warms up with lower orders just as a full run does.
 */
abstract class MultistepScheduler implements Scheduler {
    protected final SchedulerConfig config;
    protected final PredictionType prediction;
    protected final double[] timesteps;
    protected final double[] sigmas;
    protected final int solverOrder;
    /** x₀ predictions of the steps taken, newest first. */
    protected final History modelOutputs;
    /** Steps taken so far, capped at the solver order (the reference's lower_order_nums). */
    protected int lowerOrderNums;

    MultistepScheduler(SchedulerConfig config, int steps, boolean roundKarrasTimesteps, boolean karrasFinal,
            int maxOrder) {
        this.config = config;
        this.prediction = PredictionType.of(config.predictionType());
        SigmaSchedule schedule = SigmaSchedule.multistep(config, NoiseSchedule.of(config), steps, roundKarrasTimesteps,
                karrasFinal);
        this.timesteps = schedule.timesteps();
        this.sigmas = schedule.sigmas();
        this.solverOrder = config.solverOrder();
        if (solverOrder < 1 || solverOrder > maxOrder) {
            throw new IllegalArgumentException(config.className() + ": solver_order " + solverOrder
                    + " is not supported (supported: 1.." + maxOrder + ")");
        }
        this.modelOutputs = new History(solverOrder);
    }

    @Override
    public double[] timesteps() {
        return timesteps.clone();
    }

    @Override
    public double[] sigmas() {
        return sigmas.clone();
    }

    /** α_t·x₀ + σ_t·ε at the sigma of timesteps()[index]. */
    @Override
    public NDArray addNoise(NDArray original, NDArray noise, int index) {
        checkIndex(index);
        float alpha = alphaT(index);
        float sigma = sigmaT(index);
        return StepScope.run(original, scope -> original.mul(alpha).add(noise.mul(sigma)), noise);
    }

    /** α_t = 1/√(σ²+1) at sigma index {@code i} (float32, as the reference). */
    protected float alphaT(int i) {
        float s = (float) sigmas[i];
        return 1.0f / (float) Math.sqrt(s * s + 1.0f);
    }

    /** σ_t = σ·α_t. */
    protected float sigmaT(int i) {
        return (float) sigmas[i] * alphaT(i);
    }

    /** λ = log α_t − log σ_t; +∞ at sigma 0. */
    protected float lambda(int i) {
        return (float) Math.log(alphaT(i)) - (float) Math.log(sigmaT(i));
    }

    /** The data prediction x₀ from the model output at sigma index {@code i}. */
    protected NDArray dataPrediction(NDArray modelOutput, NDArray sample, int i) {
        float alpha = alphaT(i);
        float sigma = sigmaT(i);
        return switch (prediction) {
            case EPSILON -> sample.sub(modelOutput.mul(sigma)).div(alpha);
            case SAMPLE -> modelOutput.duplicate();
            case V_PREDICTION -> sample.mul(alpha).sub(modelOutput.mul(sigma));
        };
    }

    /** This step's x₀ prediction, in the sample's manager (not yet in the history). */
    protected NDArray convertModelOutput(NDArray modelOutput, NDArray sample, int index) {
        modelOutputs.open(sample.getManager());
        return StepScope.run(sample, scope -> dataPrediction(modelOutput, sample, index), modelOutput);
    }

    protected void countStep() {
        if (lowerOrderNums < solverOrder) {
            lowerOrderNums++;
        }
    }

    protected void checkIndex(int index) {
        StepChecks.checkIndex(index, timesteps);
    }
}
