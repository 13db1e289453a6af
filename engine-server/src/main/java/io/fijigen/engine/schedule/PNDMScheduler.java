package io.fijigen.engine.schedule;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.config.SchedulerConfig;
import java.util.Arrays;

/**
 * PNDM (Liu et al. 2022): pseudo linear multistep on the DDIM update, warmed up either with four
 * Runge-Kutta rounds (PRK, 12 model calls) or, with {@code skip_prk_steps} as Stable Diffusion
 * configures it, by repeating the second timestep and averaging the first two outputs.
 *
 * <p>The reference drives this from its own step counter, not from the timestep index, so a
 * run started part-way (img2img) warms up again from its first step; so does this class.
 */
final class PNDMScheduler extends AlphaScheduler {
    private static final int PNDM_ORDER = 4;

    private final double[] timesteps;
    private final int prkSteps;
    private final int stride;
    private final float finalAlphaCumprod;
    /** Recent model outputs (the reference's ets), newest first. */
    private final History ets = new History(PNDM_ORDER);
    /** The sample a warm-up round started from (the reference's cur_sample). */
    private final History startSample = new History(1);
    /** PRK: the weighted sum of the round's model outputs so far. */
    private final History roundSum = new History(1);
    private int counter;

    PNDMScheduler(SchedulerConfig config, int steps) {
        super(config, steps);
        if (prediction == PredictionType.SAMPLE) {
            throw new IllegalArgumentException("PNDMScheduler: prediction_type sample is not supported"
                    + " (supported: epsilon, v_prediction)");
        }
        if (!config.skipPrkSteps() && steps < PNDM_ORDER) {
            throw new IllegalArgumentException("PNDMScheduler with skip_prk_steps false needs at least "
                    + PNDM_ORDER + " steps, got " + steps);
        }
        this.stride = config.numTrainTimesteps() / steps;
        double[] descending = spacedTimesteps();
        double[] prk = config.skipPrkSteps() ? new double[0] : prkTimesteps(descending, stride / 2);
        double[] plms = config.skipPrkSteps() ? plmsWithRepeat(descending)
                : Arrays.copyOfRange(descending, PNDM_ORDER - 1, descending.length);
        this.prkSteps = prk.length;
        this.timesteps = concat(prk, plms);
        this.finalAlphaCumprod = finalAlphaCumprodOfConfig();
    }

    @Override
    public double[] timesteps() {
        return timesteps.clone();
    }

    @Override
    public NDArray step(NDArray modelOutput, int index, NDArray sample, NoiseSource noise) {
        StepChecks.checkIndex(index, timesteps);
        ets.open(sample.getManager());
        startSample.open(sample.getManager());
        roundSum.open(sample.getManager());
        int t = (int) timesteps[index];
        NDArray prev = counter < prkSteps ? stepPrk(modelOutput, t, sample) : stepPlms(modelOutput, t, sample);
        counter++;
        return prev;
    }

    /** One of the four evaluations of a Runge-Kutta round; weights 1/6, 1/3, 1/3, 1/6. */
    private NDArray stepPrk(NDArray modelOutput, int t, NDArray sample) {
        int phase = counter % 4;
        int prevT = t - (counter % 2 == 1 ? 0 : stride / 2);
        int roundT = (int) timesteps[counter / 4 * 4];
        if (phase == 0) {
            ets.push(modelOutput.duplicate());
            startSample.push(sample.duplicate());
        }
        NDArray from = startSample.get(0);
        if (phase == 3) {
            NDArray sum = roundSum.get(0);
            NDArray result = StepScope.run(sample,
                    scope -> prevSample(from, roundT, prevT, sum.add(modelOutput.mul(1f / 6))), modelOutput, from, sum);
            roundSum.clear();
            return result;
        }
        float weight = phase == 0 ? 1f / 6 : 1f / 3;
        NDArray previousSum = roundSum.isEmpty() ? null : roundSum.get(0);
        roundSum.push(StepScope.run(modelOutput, scope -> previousSum == null
                ? modelOutput.mul(weight) : previousSum.add(modelOutput.mul(weight)), previousSum));
        return StepScope.run(sample, scope -> prevSample(from, roundT, prevT, modelOutput), modelOutput, from);
    }

    /** Adams-Bashforth on the last outputs, of order rising with the number taken (up to 4). */
    private NDArray stepPlms(NDArray modelOutput, int t, NDArray sample) {
        int timestep = t;
        int prevT = t - stride;
        if (counter == 1) {
            // The repeated timestep: redo the first step with the two outputs averaged.
            prevT = t;
            timestep = t + stride;
        } else {
            ets.push(modelOutput.duplicate());
        }
        boolean first = ets.size() == 1 && counter == 0;
        boolean repeat = ets.size() == 1 && counter == 1;
        NDArray from = repeat ? startSample.get(0) : sample;
        if (first) {
            startSample.push(sample.duplicate());
        }
        int at = timestep;
        int to = prevT;
        NDArray[] e = ets.all();
        NDArray result = StepScope.run(sample, scope -> {
            NDArray combined = switch (repeat ? 0 : e.length) {
                case 0 -> modelOutput.add(e[0]).div(2f);
                case 1 -> modelOutput;
                case 2 -> e[0].mul(3f).sub(e[1]).div(2f);
                case 3 -> e[0].mul(23f).sub(e[1].mul(16f)).add(e[2].mul(5f)).div(12f);
                default -> e[0].mul(55f).sub(e[1].mul(59f)).add(e[2].mul(37f)).sub(e[3].mul(9f)).mul(1f / 24);
            };
            return prevSample(from, at, to, combined);
        }, concatArrays(modelOutput, from, e));
        if (repeat) {
            startSample.clear();
        }
        return result;
    }

    /** The DDIM-like transfer of the PNDM paper (formula 9) from {@code t} to {@code prevT}. */
    private NDArray prevSample(NDArray sample, int t, int prevT, NDArray modelOutput) {
        float alphaProd = alphaCumprod(t, finalAlphaCumprod);
        float alphaProdPrev = alphaCumprod(prevT, finalAlphaCumprod);
        float betaProd = 1.0f - alphaProd;
        float betaProdPrev = 1.0f - alphaProdPrev;
        NDArray epsilon = prediction == PredictionType.V_PREDICTION
                ? modelOutput.mul((float) Math.sqrt(alphaProd)).add(sample.mul((float) Math.sqrt(betaProd)))
                : modelOutput;
        float sampleCoeff = (float) Math.sqrt(alphaProdPrev / alphaProd);
        float denominator = alphaProd * (float) Math.sqrt(betaProdPrev)
                + (float) Math.sqrt(alphaProd * betaProd * alphaProdPrev);
        return sample.mul(sampleCoeff).sub(epsilon.mul(alphaProdPrev - alphaProd).div(denominator));
    }

    /** Skip-PRK order: the second timestep repeated, e.g. 901, 801, 801, 701, …, 1. */
    private static double[] plmsWithRepeat(double[] descending) {
        if (descending.length < 2) {
            return descending.clone();
        }
        double[] out = new double[descending.length + 1];
        out[0] = descending[0];
        System.arraycopy(descending, 1, out, 2, descending.length - 1);
        out[1] = descending[1];
        return out;
    }

    /** The 12 PRK timesteps over the four largest: t + stride/2 twice between each t, descending. */
    private static double[] prkTimesteps(double[] descending, int half) {
        double[] ascending = new double[PNDM_ORDER];
        for (int i = 0; i < PNDM_ORDER; i++) {
            ascending[i] = descending[PNDM_ORDER - 1 - i];
        }
        double[] paired = new double[2 * PNDM_ORDER - 1];
        for (int i = 0; i < paired.length; i++) {
            paired[i] = ascending[i / 2] + (i % 2 == 1 ? half : 0);
        }
        double[] out = new double[2 * paired.length - 2];
        for (int i = 0; i < out.length; i++) {
            out[out.length - 1 - i] = paired[(i + 1) / 2];
        }
        return out;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static NDArray[] concatArrays(NDArray a, NDArray b, NDArray[] rest) {
        NDArray[] out = new NDArray[rest.length + 2];
        out[0] = a;
        out[1] = b;
        System.arraycopy(rest, 0, out, 2, rest.length);
        return out;
    }
}
