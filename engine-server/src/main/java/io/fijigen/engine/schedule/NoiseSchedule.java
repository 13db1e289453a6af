package io.fijigen.engine.schedule;

import io.fijigen.engine.config.SchedulerConfig;

/**
 * The training noise schedule every scheduler shares: betas, alphas_cumprod and the sigma table,
 * indexed by training timestep.
 *
 * <p>The reference builds these as float32 torch tensors, and a one-ulp difference in
 * alphas_cumprod near t = 0 moves the smallest sigma by 1e-5 relative, so each float32 operation
 * is repeated here with Java floats in the same order: torch's CPU linspace (one fused
 * multiply-add per element, from whichever end is nearer), the square of scaled_linear, 1 − β,
 * and cumprod, which torch accumulates in double and rounds per element.
 */
public final class NoiseSchedule {
    private final float[] betas;
    private final float[] alphasCumprod;

    private NoiseSchedule(float[] betas) {
        this.betas = betas;
        this.alphasCumprod = new float[betas.length];
        double product = 1.0;
        for (int t = 0; t < betas.length; t++) {
            product *= (float) (1.0f - betas[t]);
            alphasCumprod[t] = (float) product;
        }
    }

    public static NoiseSchedule of(SchedulerConfig config) {
        int n = config.numTrainTimesteps();
        if (config.trainedBetas() != null) {
            if (config.trainedBetas().length != n) {
                throw new IllegalArgumentException("trained_betas has " + config.trainedBetas().length
                        + " entries but num_train_timesteps is " + n);
            }
            float[] betas = new float[n];
            for (int i = 0; i < n; i++) {
                betas[i] = (float) config.trainedBetas()[i];
            }
            return new NoiseSchedule(betas);
        }
        return switch (config.betaSchedule()) {
            case "linear" -> new NoiseSchedule(torchLinspace(config.betaStart(), config.betaEnd(), n));
            case "scaled_linear" -> {
                float[] roots = torchLinspace(Math.sqrt(config.betaStart()), Math.sqrt(config.betaEnd()), n);
                for (int i = 0; i < n; i++) {
                    roots[i] = roots[i] * roots[i];
                }
                yield new NoiseSchedule(roots);
            }
            case "squaredcos_cap_v2" -> new NoiseSchedule(cosineBetas(n));
            default -> throw new IllegalArgumentException("beta_schedule " + config.betaSchedule() + " is not supported");
        };
    }

    public int numTrainTimesteps() {
        return betas.length;
    }

    public float beta(int t) {
        return betas[t];
    }

    public float alphaCumprod(int t) {
        return alphasCumprod[t];
    }

    /**
     * σ(t) = √((1 − ᾱ)/ᾱ) for every training timestep, ascending in t, as the reference's float32
     * tensor expression computes it.
     */
    public float[] sigmas() {
        float[] sigmas = new float[alphasCumprod.length];
        for (int t = 0; t < sigmas.length; t++) {
            float a = alphasCumprod[t];
            sigmas[t] = (float) Math.sqrt((1.0f - a) / a);
        }
        return sigmas;
    }

    /** torch.linspace(start, end, n, dtype=float32) on the CPU, element for element. */
    static float[] torchLinspace(double start, double end, int n) {
        float a = (float) start;
        float b = (float) end;
        float[] out = new float[n];
        if (n == 1) {
            out[0] = a;
            return out;
        }
        float step = (b - a) / (n - 1);
        int halfway = n / 2;
        for (int i = 0; i < n; i++) {
            out[i] = i < halfway ? Math.fma(step, (float) i, a) : Math.fma(-step, (float) (n - 1 - i), b);
        }
        return out;
    }

    /** squaredcos_cap_v2 (Nichol and Dhariwal): betas from the cosine ᾱ, in double, capped at 0.999. */
    private static float[] cosineBetas(int n) {
        float[] betas = new float[n];
        for (int i = 0; i < n; i++) {
            double t1 = (double) i / n;
            double t2 = (double) (i + 1) / n;
            betas[i] = (float) Math.min(1 - cosineAlphaBar(t2) / cosineAlphaBar(t1), 0.999);
        }
        return betas;
    }

    private static double cosineAlphaBar(double t) {
        double c = Math.cos((t + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }
}
