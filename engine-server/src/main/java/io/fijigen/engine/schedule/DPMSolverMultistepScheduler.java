package io.fijigen.engine.schedule;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.config.SchedulerConfig;

/**
 * DPM-Solver++ multistep (Lu et al. 2022), the "dpmsolver++" algorithm: orders 1 to 3, the
 * second order with the midpoint or Heun form. "DPM++ 2M" is order 2, midpoint; "Karras" the
 * same on Karras sigmas.
 */
final class DPMSolverMultistepScheduler extends MultistepScheduler {
    private final boolean midpoint;

    DPMSolverMultistepScheduler(SchedulerConfig config, int steps) {
        super(config, steps, !config.betaSchedule().equals("squaredcos_cap_v2"), false, 3);
        // The reference maps UniPC's and others' solver names onto midpoint.
        this.midpoint = switch (config.solverType()) {
            case "midpoint", "logrho", "bh1", "bh2" -> true;
            case "heun" -> false;
            default -> throw new IllegalArgumentException("DPMSolverMultistepScheduler: solver_type "
                    + config.solverType() + " is not supported (supported: midpoint, heun)");
        };
    }

    @Override
    public NDArray step(NDArray modelOutput, int index, NDArray sample, NoiseSource noise) {
        checkIndex(index);
        int n = timesteps.length;
        // A final sigma 0 always ends on a first-order step (its λ is infinite).
        boolean lowerOrderFinal = index == n - 1
                && (config.finalSigmasType().equals("zero") || config.lowerOrderFinal() && n < 15);
        boolean lowerOrderSecond = index == n - 2 && config.lowerOrderFinal() && n < 15;
        NDArray x0 = convertModelOutput(modelOutput, sample, index);
        modelOutputs.push(x0);
        NDArray result;
        if (solverOrder == 1 || lowerOrderNums < 1 || lowerOrderFinal) {
            result = firstOrder(sample, index);
        } else if (solverOrder == 2 || lowerOrderNums < 2 || lowerOrderSecond) {
            result = secondOrder(sample, index);
        } else {
            result = thirdOrder(sample, index);
        }
        countStep();
        return result;
    }

    /** DPM-Solver++(1), which is DDIM: x_t = (σ_t/σ_s)·x − α_t·(e^(−h) − 1)·D0. */
    private NDArray firstOrder(NDArray sample, int i) {
        float ratio = sigmaT(i + 1) / sigmaT(i);
        float h = lambda(i + 1) - lambda(i);
        float d0Coeff = alphaT(i + 1) * ((float) Math.exp(-h) - 1.0f);
        NDArray m0 = modelOutputs.get(0);
        return StepScope.run(sample, scope -> sample.mul(ratio).sub(m0.mul(d0Coeff)), m0);
    }

    /** DPM-Solver++(2M): the first-order step plus a correction from the last two x₀. */
    private NDArray secondOrder(NDArray sample, int i) {
        float lambdaT = lambda(i + 1);
        float lambdaS0 = lambda(i);
        float h = lambdaT - lambdaS0;
        float r0 = (lambdaS0 - lambda(i - 1)) / h;
        float ratio = sigmaT(i + 1) / sigmaT(i);
        float alpha = alphaT(i + 1);
        float expm = (float) Math.exp(-h) - 1.0f;
        float d0Coeff = alpha * expm;
        float d1Coeff = midpoint ? 0.5f * (alpha * expm) : -(alpha * (expm / h + 1.0f));
        NDArray m0 = modelOutputs.get(0);
        NDArray m1 = modelOutputs.get(1);
        return StepScope.run(sample, scope -> {
            NDArray d1 = m0.sub(m1).mul(1.0f / r0);
            return sample.mul(ratio).sub(m0.mul(d0Coeff)).sub(d1.mul(d1Coeff));
        }, m0, m1);
    }

    /** DPM-Solver++(3M). */
    private NDArray thirdOrder(NDArray sample, int i) {
        float lambdaT = lambda(i + 1);
        float lambdaS0 = lambda(i);
        float lambdaS1 = lambda(i - 1);
        float h = lambdaT - lambdaS0;
        float r0 = (lambdaS0 - lambdaS1) / h;
        float r1 = (lambdaS1 - lambda(i - 2)) / h;
        float ratio = sigmaT(i + 1) / sigmaT(i);
        float alpha = alphaT(i + 1);
        float expm = (float) Math.exp(-h) - 1.0f;
        float d0Coeff = alpha * expm;
        float d1Coeff = alpha * (expm / h + 1.0f);
        float d2Coeff = alpha * ((expm + h) / (h * h) - 0.5f);
        NDArray m0 = modelOutputs.get(0);
        NDArray m1 = modelOutputs.get(1);
        NDArray m2 = modelOutputs.get(2);
        return StepScope.run(sample, scope -> {
            NDArray d10 = m0.sub(m1).mul(1.0f / r0);
            NDArray d11 = m1.sub(m2).mul(1.0f / r1);
            NDArray d1 = d10.add(d10.sub(d11).mul(r0 / (r0 + r1)));
            NDArray d2 = d10.sub(d11).mul(1.0f / (r0 + r1));
            return sample.mul(ratio).sub(m0.mul(d0Coeff)).add(d1.mul(d1Coeff)).sub(d2.mul(d2Coeff));
        }, m0, m1, m2);
    }
}
