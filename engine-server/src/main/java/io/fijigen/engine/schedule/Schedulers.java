package io.fijigen.engine.schedule;

import io.fijigen.engine.config.SchedulerConfig;

/** Schedulers for a job: by name ({@link SchedulerKind}) or by config, set to the job's steps. */
public final class Schedulers {
    private Schedulers() {}

    /**
     * The config the named scheduler gets for a model whose own scheduler config is {@code modelOwn}
     * (null name: the model's own); see {@link SchedulerKind#configFor}.
     */
    public static SchedulerConfig configFor(String name, SchedulerConfig modelOwn) {
        return name == null ? modelOwn : SchedulerKind.named(name).configFor(modelOwn);
    }

    /** A scheduler for {@code config}, set to {@code steps} steps; {@code eta} is read by DDIM only. */
    public static Scheduler create(SchedulerConfig config, int steps, double eta) {
        requirePositive(steps);
        return SchedulerKind.ofClass(config.className()).create(config, steps, eta);
    }

    /** The named scheduler (null: the model's own) for a model, set to {@code steps} steps. */
    public static Scheduler create(String name, SchedulerConfig modelOwn, int steps) {
        requirePositive(steps);
        return create(configFor(name, modelOwn), steps, 0.0);
    }

    private static void requirePositive(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        }
    }
}
