package io.fijigen.engine.server;

import io.fijigen.engine.schedule.SchedulerKind;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A model's own defaults for the request fields a client leaves unset (SD 2 models want 768²,
 * Turbo-style models few steps, no guidance and trailing timesteps); empty fields fall back to the
 * server's defaults.
 */
public record GenerationDefaults(OptionalInt steps, OptionalDouble guidance, OptionalInt width, OptionalInt height,
        Optional<String> scheduler, Optional<String> timestepSpacing, OptionalDouble eta) {

    public static final GenerationDefaults NONE = new GenerationDefaults(OptionalInt.empty(), OptionalDouble.empty(),
            OptionalInt.empty(), OptionalInt.empty(), Optional.empty(), Optional.empty(), OptionalDouble.empty());

    /**
     * The spacing a job on {@code kind} gets when it gives none: the model's, where the scheduler reads
     * one. A request may pick any scheduler, so a default that lcm or tcd would refuse is left out, not
     * made to fail the job.
     */
    public Optional<String> timestepSpacing(SchedulerKind kind) {
        return kind.spacesTimesteps() ? timestepSpacing : Optional.empty();
    }

    /** The eta a job on {@code kind} gets when it gives none: the model's, where the scheduler reads one. */
    public OptionalDouble eta(SchedulerKind kind) {
        return kind.readsEta() ? eta : OptionalDouble.empty();
    }
}
