package io.fijigen.engine.cli;

import picocli.CommandLine.Option;

/**
 * How a job samples, as {@code generate} and {@code upscale} both take it: what to steer away
 * from, steps, guidance, scheduler, seed, and latents to start from instead of drawn ones. Unset
 * steps and guidance stay unset in the request: the engine takes the model's defaults.
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

    @Option(names = "--seed", defaultValue = "-1", description = "generator seed; -1 picks one at random (default)")
    long seed;

    @Option(names = "--latents", paramLabel = "TENSOR", description = "initial latents, FILE.safetensors#NAME")
    String latents;
}
