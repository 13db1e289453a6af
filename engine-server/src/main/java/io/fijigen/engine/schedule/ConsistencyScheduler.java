package io.fijigen.engine.schedule;

import io.fijigen.engine.config.SchedulerConfig;

/**
 * The consistency-distilled schedulers (LCM, TCD): their timesteps are not spaced over the training
 * schedule ({@code timestep_spacing} is not read) but taken, evenly by index, from the schedule of
 * {@code original_inference_steps} the model was distilled on: t = 20k − 1 for k = 50..1 at 1000
 * training steps and 50 original steps, so 4 steps give [999, 759, 499, 259].
 */
abstract class ConsistencyScheduler extends AlphaScheduler {
    protected final double[] timesteps;

    ConsistencyScheduler(SchedulerConfig config, int steps) {
        super(config, steps);
        this.timesteps = distilledTimesteps(config, steps);
    }

    private static double[] distilledTimesteps(SchedulerConfig config, int steps) {
        int original = config.originalInferenceSteps();
        if (original < 1 || original > config.numTrainTimesteps()) {
            throw new IllegalArgumentException(config.className() + ": original_inference_steps " + original
                    + " must be in 1.." + config.numTrainTimesteps() + " (num_train_timesteps)");
        }
        if (steps > original) {
            throw new IllegalArgumentException("steps: " + steps + " is more than the " + original
                    + " steps of the schedule this model was distilled on (original_inference_steps); use at most "
                    + original);
        }
        int stride = config.numTrainTimesteps() / original;
        double[] selected = new double[steps];
        double indexStep = (double) original / steps;
        for (int i = 0; i < steps; i++) {
            // np.floor(np.linspace(0, original, steps, endpoint=False)) into the descending origin schedule.
            int fromTop = (int) Math.floor(i * indexStep);
            selected[i] = (double) (original - fromTop) * stride - 1;
        }
        return selected;
    }

    @Override
    public double[] timesteps() {
        return timesteps.clone();
    }

    /** Whether {@code index} is the run's last step, the one that adds no fresh noise. */
    protected boolean isLast(int index) {
        return index == timesteps.length - 1;
    }
}
