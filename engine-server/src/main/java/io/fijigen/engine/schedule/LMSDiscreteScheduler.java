package io.fijigen.engine.schedule;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.config.SchedulerConfig;

/**
 * Linear multistep (Adams-Bashforth in sigma, k-diffusion's sample_lms) of order 4, the
 * reference pipeline's default: the step integrates the Lagrange polynomial through the last
 * derivatives over [σ, σ_next].
 *
 * <p>The order is min(index + 1, 4) even when the loop started part-way and fewer derivatives
 * exist; the sum then uses the first coefficients only. That is the reference's behaviour with a
 * begin index, kept for parity.
 */
final class LMSDiscreteScheduler extends SigmaScheduler {
    private static final int ORDER = 4;
    /** 3-point Gauss-Legendre: exact for the polynomials here (degree ≤ 3). */
    private static final double[] GAUSS_NODES = {-Math.sqrt(0.6), 0, Math.sqrt(0.6)};
    private static final double[] GAUSS_WEIGHTS = {5.0 / 9, 8.0 / 9, 5.0 / 9};

    private final History derivatives = new History(ORDER);

    LMSDiscreteScheduler(SchedulerConfig config, int steps) {
        super(config, SigmaSchedule.discrete(config, NoiseSchedule.of(config), steps, config.useKarrasSigmas(), false));
    }

    @Override
    public NDArray step(NDArray modelOutput, int index, NDArray sample, NoiseSource noise) {
        checkIndex(index);
        derivatives.open(sample.getManager());
        float sigma = (float) sigmas[index];
        NDArray derivative = StepScope.run(sample,
                scope -> sample.sub(predictOriginal(modelOutput, sample, sigma)).div(sigma), modelOutput);
        derivatives.push(derivative);
        int order = Math.min(index + 1, ORDER);
        int terms = Math.min(order, derivatives.size());
        float[] coefficients = new float[terms];
        for (int k = 0; k < terms; k++) {
            coefficients[k] = (float) coefficient(order, index, k);
        }
        NDArray[] history = derivatives.all();
        NDArray[] inputs = java.util.Arrays.copyOf(history, terms + 1);
        inputs[terms] = modelOutput;
        return StepScope.run(sample, scope -> {
            NDArray sum = history[0].mul(coefficients[0]);
            for (int k = 1; k < terms; k++) {
                sum = sum.add(history[k].mul(coefficients[k]));
            }
            return sample.add(sum);
        }, inputs);
    }

    /** ∫ from σ_t to σ_(t+1) of the Lagrange basis polynomial of node t − current over nodes t, …, t − order + 1. */
    private double coefficient(int order, int t, int current) {
        double a = sigmas[t];
        double b = sigmas[t + 1];
        double half = (b - a) / 2;
        double mid = (a + b) / 2;
        double integral = 0;
        for (int g = 0; g < GAUSS_NODES.length; g++) {
            double tau = mid + half * GAUSS_NODES[g];
            double product = 1.0;
            for (int k = 0; k < order; k++) {
                if (k != current) {
                    product *= (tau - sigmas[t - k]) / (sigmas[t - current] - sigmas[t - k]);
                }
            }
            integral += GAUSS_WEIGHTS[g] * product;
        }
        return integral * half;
    }
}
