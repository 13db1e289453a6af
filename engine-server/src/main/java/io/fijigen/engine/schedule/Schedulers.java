package io.fijigen.engine.schedule;

import io.fijigen.engine.config.SchedulerConfig;
import java.util.Arrays;
import java.util.stream.Collectors;

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

    /** A scheduler for {@code config}, set to {@code steps} steps; {@code eta} is read by DDIM and TCD only. */
    public static Scheduler create(SchedulerConfig config, int steps, double eta) {
        requirePositive(steps);
        return SchedulerKind.ofClass(config.className()).create(config, steps, eta);
    }

    /** The named scheduler (null: the model's own) for a model, set to {@code steps} steps. */
    public static Scheduler create(String name, SchedulerConfig modelOwn, int steps) {
        return forChoice(SchedulerChoice.named(name), modelOwn, steps);
    }

    /**
     * The chosen scheduler for a model, set to {@code steps} steps: the named one's config (see {@link
     * #configFor}) with the choice's spacing, and the choice's eta or the scheduler's default.
     *
     * @throws SchedulerChoiceException for a spacing or an eta the scheduler does not read (LCM and TCD
     *     take no spacing; only DDIM and TCD take eta) or does not accept
     */
    public static Scheduler forChoice(SchedulerChoice choice, SchedulerConfig modelOwn, int steps) {
        requirePositive(steps);
        SchedulerConfig config = configFor(choice.name(), modelOwn);
        SchedulerKind kind = SchedulerKind.ofClass(config.className());
        if (choice.timestepSpacing() != null) {
            if (!kind.spacesTimesteps()) {
                throw new SchedulerChoiceException("timestep_spacing", kind.id() + " takes its timesteps from the"
                        + " schedule it was distilled on (original_inference_steps " + config.originalInferenceSteps()
                        + "), not from a timestep_spacing; leave it unset");
            }
            config = config.withTimestepSpacing(choice.timestepSpacing());
        }
        if (choice.eta().isPresent() && !kind.readsEta()) {
            throw new SchedulerChoiceException("eta", kind.id() + " takes no eta (only "
                    + Arrays.stream(SchedulerKind.values()).filter(SchedulerKind::readsEta).map(SchedulerKind::id)
                            .collect(Collectors.joining(" and ")) + " do); leave it unset");
        }
        return create(config, steps, choice.eta().orElse(kind.defaultEta()));
    }

    private static void requirePositive(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        }
    }
}
