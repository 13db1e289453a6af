package io.fijigen.engine.cli;

import io.fijigen.engine.pipeline.HiresUpscaler;
import io.fijigen.proto.v1.Hires;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The hires fix on the command line: {@code GenerateRequest.hires}, option for field. */
final class HiresFixOptions {
    @Option(names = "--hires-scale", required = true, paramLabel = "F", description = "hires fix: generate, enlarge"
            + " by F (each side to the nearest multiple of 8), then img2img at that size")
    double scale;

    @Option(names = "--hires-steps", paramLabel = "N", description = "hires fix: steps of the second pass (default:"
            + " the first pass's)")
    int steps;

    @Option(names = "--hires-strength", paramLabel = "S", description = "hires fix: share of the second pass's"
            + " schedule that runs, in (0, 1] (default ${DEFAULT-VALUE})")
    double strength;

    @Option(names = "--hires-upscaler", paramLabel = "lanczos|latent|latent-nearest|MODEL", defaultValue =
            HiresUpscaler.LATENT, description = "hires fix: Lanczos on the image, bilinear or nearest on the latents,"
            + " or an x4 upscaler model (a folder; with --server, its id) (default ${DEFAULT-VALUE})")
    String upscaler;

    /** The x4 upscaler model the option names, if it names no built-in upscaler. */
    Optional<String> model() {
        return HiresUpscaler.builtIn(upscaler).isPresent() ? Optional.empty() : Optional.of(upscaler);
    }

    Hires toProto(ModelIds ids) {
        return Hires.newBuilder()
                .setScale(scale)
                .setSteps(steps)
                .setStrength(strength)
                .setUpscaler(model().map(ids::of).orElse(upscaler))
                .build();
    }
}
