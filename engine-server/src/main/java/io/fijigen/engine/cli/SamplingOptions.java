package io.fijigen.engine.cli;

import java.util.function.Consumer;
import java.util.function.DoubleConsumer;
import picocli.CommandLine.Option;

/**
 * How a job samples, as {@code generate} and {@code upscale} both take it: what to steer away
 * from, steps, guidance, scheduler with its timestep spacing and eta, seed, and latents to start
 * from instead of drawn ones. Unset steps, guidance, spacing and eta stay unset in the request: the
 * engine takes the model's defaults.
 */
final class SamplingOptions {
    @Option(names = "--negative-prompt", description = "what to steer away from (not given: nothing; SDXL"
            + " then takes zero embeddings, as diffusers does, while \"\" is the empty prompt, encoded)")
    String negativePrompt;

    @Option(names = "--steps", description = "denoising steps (default: the model's, ${DEFAULT-VALUE} unless a"
            + " server's registry sets another)")
    int steps;

    @Option(names = "--guidance", description = "classifier-free guidance scale; ≤ 1 turns it off (default: the"
            + " model's, ${DEFAULT-VALUE} unless a server's registry sets another)")
    double guidance;

    @Option(names = "--scheduler", completionCandidates = SchedulerChoices.class,
            description = "${COMPLETION-CANDIDATES} (default: the model's own)")
    String scheduler;

    @Option(names = "--timestep-spacing", paramLabel = "leading|linspace|trailing", description = "which training"
            + " timesteps the steps visit; Turbo and Lightning models want trailing (default: the model's scheduler"
            + " config's, unless a server's registry sets another; lcm and tcd take none)")
    String timestepSpacing;

    @Option(names = "--eta", paramLabel = "E", description = "fresh noise per step in 0..1, for ddim and tcd"
            + " (default: 0 for ddim, 0.3 for tcd, unless a server's registry sets another; diffusers' pipelines pass"
            + " 0 to tcd)")
    Double eta;

    @Option(names = "--seed", defaultValue = "-1", description = "generator seed; -1 picks one at random (default)")
    long seed;

    @Option(names = "--latents", paramLabel = "TENSOR", description = "initial latents, FILE.safetensors#NAME")
    String latents;

    /** The scheduler, its spacing and eta, those given (GenerateRequest, UpscaleRequest and Refine have all three). */
    void addScheduler(Consumer<String> name, Consumer<String> spacing, DoubleConsumer eta) {
        if (scheduler != null) {
            name.accept(scheduler);
        }
        if (timestepSpacing != null) {
            spacing.accept(timestepSpacing);
        }
        if (this.eta != null) {
            eta.accept(this.eta);
        }
    }
}
