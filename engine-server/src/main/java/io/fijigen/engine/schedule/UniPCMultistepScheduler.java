package io.fijigen.engine.schedule;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.config.SchedulerConfig;

/**
 * UniPC (Zhao et al. 2023) in its data-prediction form: each step first corrects the sample it is
 * given (UniC, using this step's fresh x₀), then predicts the next one (UniP). B(h) is e^h − 1
 * ("bh2", the default) or h ("bh1").
 *
 * <p>One deliberate difference: a first-order prediction adds no correction term at all, where
 * the reference adds α·B(h)·0, which is NaN on a last step to sigma 0 with bh1 (B(h) = −∞).
 */
final class UniPCMultistepScheduler extends MultistepScheduler {
    private final boolean bh2;
    /** The sample the previous step predicted from, which the corrector revisits. */
    private final History lastSample = new History(1);
    /** The order the previous step's predictor used; the corrector reuses it. */
    private int lastOrder;

    UniPCMultistepScheduler(SchedulerConfig config, int steps) {
        super(config, steps, true, true, 3);
        // The reference maps DPM-Solver's solver names onto bh2.
        this.bh2 = switch (config.solverType()) {
            case "bh2", "midpoint", "heun", "logrho" -> true;
            case "bh1" -> false;
            default -> throw new IllegalArgumentException("UniPCMultistepScheduler: solver_type "
                    + config.solverType() + " is not supported (supported: bh1, bh2)");
        };
    }

    @Override
    public NDArray step(NDArray modelOutput, int index, NDArray sample, NoiseSource noise) {
        checkIndex(index);
        lastSample.open(sample.getManager());
        NDArray x0 = convertModelOutput(modelOutput, sample, index);
        NDArray current = index > 0 && !lastSample.isEmpty() ? correct(x0, sample, index) : null;
        modelOutputs.push(x0);
        int order = config.lowerOrderFinal() ? Math.min(solverOrder, timesteps.length - index) : solverOrder;
        order = Math.min(order, lowerOrderNums + 1);
        NDArray from = current != null ? current : sample;
        NDArray result = predict(from, index, order);
        lastSample.push(current != null ? current : sample.duplicate());
        lastOrder = order;
        countStep();
        return result;
    }

    /** UniP: from {@code x} at sigma index i to i + 1, using the last {@code order} x₀. */
    private NDArray predict(NDArray x, int i, int order) {
        Coefficients c = coefficients(i + 1, i, order, k -> i - k);
        NDArray m0 = modelOutputs.get(0);
        NDArray[] inputs = history(order);
        float[] rhos = order == 1 ? new float[0] : order == 2 ? new float[] {0.5f} : c.solve(order - 1);
        return StepScope.run(x, scope -> {
            NDArray xt = x.mul(c.ratio).sub(m0.mul(c.alpha * c.hPhi1));
            if (order == 1) {
                return xt;
            }
            return xt.sub(differences(c, inputs, rhos, order - 1).mul(c.alpha * c.bh));
        }, inputs);
    }

    /** UniC: corrects this step's sample using its x₀ ({@code x0}, not yet in the history). */
    private NDArray correct(NDArray x0, NDArray sample, int i) {
        int order = lastOrder;
        Coefficients c = coefficients(i, i - 1, order, k -> i - (k + 1));
        NDArray last = lastSample.get(0);
        NDArray m0 = modelOutputs.get(0);
        NDArray[] inputs = history(order);
        float[] rhos = order == 1 ? new float[] {0.5f} : c.solve(order);
        NDArray[] all = java.util.Arrays.copyOf(inputs, inputs.length + 2);
        all[inputs.length] = x0;
        all[inputs.length + 1] = last;
        return StepScope.run(sample, scope -> {
            NDArray xt = last.mul(c.ratio).sub(m0.mul(c.alpha * c.hPhi1));
            NDArray correction = x0.sub(m0).mul(rhos[rhos.length - 1]);
            if (order > 1) {
                correction = differences(c, inputs, rhos, order - 1).add(correction);
            }
            return xt.sub(correction.mul(c.alpha * c.bh));
        }, all);
    }

    /** Σ_k ρ_k·D1_k with D1_k = (m_k − m0)/r_k over the older x₀. */
    private static NDArray differences(Coefficients c, NDArray[] outputs, float[] rhos, int terms) {
        NDArray sum = null;
        for (int k = 1; k <= terms; k++) {
            NDArray d = outputs[k].sub(outputs[0]).div(c.rks[k - 1]).mul(rhos[k - 1]);
            sum = sum == null ? d : sum.add(d);
        }
        return sum;
    }

    private NDArray[] history(int order) {
        NDArray[] out = new NDArray[Math.min(order, modelOutputs.size())];
        for (int k = 0; k < out.length; k++) {
            out[k] = modelOutputs.get(k);
        }
        return out;
    }

    /**
     * The scalars of one UniP/UniC update from sigma index s0 to t: h = λ_t − λ_s0, the ratios
     * r_k of earlier λ steps to h, φ-function values and the right-hand side b.
     */
    private Coefficients coefficients(int t, int s0, int order, java.util.function.IntUnaryOperator earlier) {
        float h = lambda(t) - lambda(s0);
        float hh = -h;
        float hPhi1 = (float) Math.expm1(hh);
        float[] rks = new float[order];
        for (int k = 1; k < order; k++) {
            rks[k - 1] = (lambda(earlier.applyAsInt(k)) - lambda(s0)) / h;
        }
        rks[order - 1] = 1.0f;
        float bh = bh2 ? (float) Math.expm1(hh) : hh;
        float hPhiK = hPhi1 / hh - 1.0f;
        double[] b = new double[order];
        long factorial = 1;
        for (int k = 1; k <= order; k++) {
            b[k - 1] = hPhiK * factorial / bh;
            factorial *= k + 1;
            hPhiK = hPhiK / hh - 1.0f / factorial;
        }
        return new Coefficients(sigmaT(t) / sigmaT(s0), alphaT(t), hPhi1, bh, rks, b);
    }

    /** R[p][k] = r_k^p; {@link #solve} gives ρ from R·ρ = b on the leading {@code size} rows. */
    private record Coefficients(float ratio, float alpha, float hPhi1, float bh, float[] rks, double[] b) {
        float[] solve(int size) {
            double[][] a = new double[size][size + 1];
            for (int p = 0; p < size; p++) {
                for (int k = 0; k < size; k++) {
                    a[p][k] = Math.pow(rks[k], p);
                }
                a[p][size] = b[p];
            }
            return gaussianElimination(a);
        }

        /** Solves the augmented system in place (partial pivoting; sizes here are 1 or 2). */
        private static float[] gaussianElimination(double[][] a) {
            int n = a.length;
            for (int col = 0; col < n; col++) {
                int pivot = col;
                for (int row = col + 1; row < n; row++) {
                    if (Math.abs(a[row][col]) > Math.abs(a[pivot][col])) {
                        pivot = row;
                    }
                }
                double[] swap = a[col];
                a[col] = a[pivot];
                a[pivot] = swap;
                for (int row = col + 1; row < n; row++) {
                    double factor = a[row][col] / a[col][col];
                    for (int k = col; k <= n; k++) {
                        a[row][k] -= factor * a[col][k];
                    }
                }
            }
            double[] x = new double[n];
            float[] rounded = new float[n];
            for (int row = n - 1; row >= 0; row--) {
                double sum = a[row][n];
                for (int k = row + 1; k < n; k++) {
                    sum -= a[row][k] * x[k];
                }
                x[row] = sum / a[row][row];
                rounded[row] = (float) x[row];
            }
            return rounded;
        }
    }
}
