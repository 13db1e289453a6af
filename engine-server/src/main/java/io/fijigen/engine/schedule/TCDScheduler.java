package io.fijigen.engine.schedule;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.config.SchedulerConfig;

/**
 * Trajectory Consistency Distillation's strategic stochastic sampling (Zheng et al. 2024): each step
 * re-noises the x₀ and ε predictions to the intermediate timestep s = ⌊(1 − η)·t_prev⌋, then, on every
 * step but the last, forward-diffuses from s to t_prev with fresh noise. η (the paper's γ) 0 is
 * deterministic, 1 fully stochastic.
 */
final class TCDScheduler extends ConsistencyScheduler {
    /** The reference's own default for {@code step(eta=...)}, which TCD's users set; its pipelines pass 0. */
    static final double DEFAULT_ETA = 0.3;

    private final double eta;

    TCDScheduler(SchedulerConfig config, int steps, double eta) {
        super(config, steps);
        if (!(eta >= 0 && eta <= 1)) {
            throw new SchedulerChoiceException("eta", eta + " is outside 0..1 (TCD's gamma: 0 deterministic, 1"
                    + " fully stochastic)");
        }
        this.eta = eta;
    }

    @Override
    public NDArray step(NDArray modelOutput, int index, NDArray sample, NoiseSource noise) {
        checkIndex(index);
        int t = (int) timesteps[index];
        int prevT = isLast(index) ? 0 : (int) timesteps[index + 1];
        // torch computes (1 − eta)·t_prev in float32 (a Python float times an integer tensor) before the floor.
        int s = (int) Math.floor((float) (1 - eta) * (float) prevT);
        float alphaProd = schedule.alphaCumprod(t);
        float alphaProdPrev = schedule.alphaCumprod(prevT);
        float alphaProdS = schedule.alphaCumprod(s);
        float sqrtAlphaS = (float) Math.sqrt(alphaProdS);
        float sqrtBetaS = (float) Math.sqrt(1.0f - alphaProdS);
        float ratio = alphaProdPrev / alphaProdS;
        boolean noised = eta > 0 && !isLast(index);
        NoiseSource source = noised ? StepChecks.requireNoise(noise, "TCD with eta > 0") : null;
        return StepScope.run(sample, scope -> {
            NDArray original = predictOriginal(modelOutput, sample, alphaProd);
            NDArray epsilon = predictEpsilon(modelOutput, sample, original, alphaProd);
            NDArray atS = original.mul(sqrtAlphaS).add(epsilon.mul(sqrtBetaS));
            if (source == null) {
                return atS;
            }
            return atS.mul((float) Math.sqrt(ratio))
                    .add(StepScope.noiseLike(sample, source, scope).mul((float) Math.sqrt(1.0f - ratio)));
        }, modelOutput);
    }
}
