package io.fijigen.engine.schedule;

import java.util.OptionalDouble;

/**
 * What a job asks of its scheduler.
 *
 * @param name one of {@link SchedulerKind#ids()}, or null for the model's own scheduler
 * @param timestepSpacing "leading", "linspace" or "trailing" over the config's own, or null to keep the config's
 * @param eta DDIM's and TCD's share of fresh noise per step; empty for the scheduler's {@link SchedulerKind#defaultEta()}
 */
public record SchedulerChoice(String name, String timestepSpacing, OptionalDouble eta) {

    /** The named scheduler (null: the model's own) with its config's spacing and its default eta. */
    public static SchedulerChoice named(String name) {
        return new SchedulerChoice(name, null, OptionalDouble.empty());
    }
}
