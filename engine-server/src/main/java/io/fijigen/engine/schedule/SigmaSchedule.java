package io.fijigen.engine.schedule;

import io.fijigen.engine.config.SchedulerConfig;

/**
 * The timesteps and sigmas of the sigma-based schedulers (one more sigma than timesteps, the last
 * 0), and the machinery behind them: interpolation of the training sigma table, Karras spacing
 * and the sigma → timestep inverse.
 *
 * <p>The reference computes these in numpy float64 from the float32 sigma table and stores the
 * sigmas as float32, so sigmas here are float32 values held in doubles.
 */
record SigmaSchedule(double[] timesteps, double[] sigmas) {
    private static final double RHO = 7.0;

    /**
     * Euler, Euler ancestral, LMS, Heun: float32 timesteps; sigmas interpolated at them; with
     * Karras sigmas, respaced between the interpolated ends and timesteps mapped back (unrounded).
     */
    static SigmaSchedule discrete(SchedulerConfig config, NoiseSchedule schedule, int steps, boolean karras,
            boolean finalSigmaMin) {
        double[] timesteps = TimestepSpacing.float32(config.timestepSpacing(), schedule.numTrainTimesteps(), steps,
                config.stepsOffset());
        float[] table = schedule.sigmas();
        double[] sigmas = interpolate(table, timesteps);
        if (karras) {
            sigmas = karras(sigmas[sigmas.length - 1], sigmas[0], steps);
            float[] logSigmas = log(table);
            for (int i = 0; i < steps; i++) {
                timesteps[i] = (float) sigmaToT(sigmas[i], logSigmas);
            }
        }
        return new SigmaSchedule(timesteps, withFinal(sigmas, finalSigmaMin ? table[0] : 0));
    }

    /**
     * DPM-Solver++ and UniPC: integer timesteps from the multistep spacing; with Karras sigmas,
     * respaced over the whole training table and timesteps mapped back and rounded (truncated
     * instead for {@code squaredcos_cap_v2} where {@code roundKarras} says so, as the reference). With
     * {@code final_sigmas_type} "sigma_min" the last sigma is the table's smallest, or, where
     * {@code karrasFinal} says so (UniPC), the last Karras sigma.
     */
    static SigmaSchedule multistep(SchedulerConfig config, NoiseSchedule schedule, int steps, boolean roundKarras,
            boolean karrasFinal) {
        double[] timesteps = TimestepSpacing.multistep(config.timestepSpacing(), schedule.numTrainTimesteps(), steps,
                config.stepsOffset());
        float[] table = schedule.sigmas();
        double[] sigmas;
        if (config.useKarrasSigmas()) {
            sigmas = karras(table[0], table[table.length - 1], steps);
            float[] logSigmas = log(table);
            for (int i = 0; i < steps; i++) {
                double t = sigmaToT(sigmas[i], logSigmas);
                timesteps[i] = roundKarras ? Math.rint(t) : (long) t;
            }
        } else {
            sigmas = interpolate(table, timesteps);
        }
        double last = 0;
        if (config.finalSigmasType().equals("sigma_min")) {
            last = karrasFinal && config.useKarrasSigmas() ? sigmas[steps - 1] : table[0];
        }
        return new SigmaSchedule(timesteps, withFinal(sigmas, last));
    }

    /** np.interp(x, arange(len(table)), table): exact hits return the table entry. */
    static double[] interpolate(float[] table, double[] x) {
        double[] out = new double[x.length];
        int last = table.length - 1;
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            if (v <= 0) {
                out[i] = table[0];
            } else if (v >= last) {
                out[i] = table[last];
            } else {
                int j = (int) Math.floor(v);
                double slope = (double) table[j + 1] - table[j];
                out[i] = v == j ? table[j] : slope * (v - j) + table[j];
            }
        }
        return out;
    }

    /** Karras et al. (2022), rho 7: sigmas evenly spaced in σ^(1/ρ) from max down to min. */
    static double[] karras(double sigmaMin, double sigmaMax, int steps) {
        double minInvRho = Math.pow(sigmaMin, 1 / RHO);
        double maxInvRho = Math.pow(sigmaMax, 1 / RHO);
        double[] ramp = TimestepSpacing.linspace(0, 1, steps);
        double[] sigmas = new double[steps];
        for (int i = 0; i < steps; i++) {
            sigmas[i] = Math.pow(maxInvRho + ramp[i] * (minInvRho - maxInvRho), RHO);
        }
        return sigmas;
    }

    /**
     * The fractional training timestep whose sigma is {@code sigma}: linear interpolation in
     * log sigma between the two table entries around it (the reference's {@code _sigma_to_t},
     * including its float32 log table and float32 difference of neighbours).
     */
    static double sigmaToT(double sigma, float[] logSigmas) {
        double logSigma = Math.log(Math.max(sigma, 1e-10));
        int low = 0;
        for (int i = 0; i < logSigmas.length; i++) {
            if (logSigma - logSigmas[i] >= 0) {
                low = i;
            }
        }
        low = Math.min(low, logSigmas.length - 2);
        int high = low + 1;
        float lowLog = logSigmas[low];
        float highLog = logSigmas[high];
        double w = (lowLog - logSigma) / (double) (lowLog - highLog);
        w = Math.min(1, Math.max(0, w));
        return (1 - w) * low + w * high;
    }

    static float[] log(float[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) Math.log(values[i]);
        }
        return out;
    }

    /** Appends the final sigma and rounds all to float32. */
    private static double[] withFinal(double[] sigmas, double last) {
        double[] out = new double[sigmas.length + 1];
        for (int i = 0; i < sigmas.length; i++) {
            out[i] = (float) sigmas[i];
        }
        out[sigmas.length] = (float) last;
        return out;
    }

    /** The largest sigma, which the reference uses for init_noise_sigma. */
    float maxSigma() {
        double max = 0;
        for (double s : sigmas) {
            max = Math.max(max, s);
        }
        return (float) max;
    }
}
