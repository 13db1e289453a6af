package io.fijigen.plugin;

import io.fijigen.proto.v1.Hires;
import java.util.List;

/**
 * txt2img's hires fix (the engine's {@code GenerateRequest.hires}): generate, enlarge by {@code
 * scale}, then img2img at that size.
 *
 * @param scale second-pass size as a multiple of the first's, in (1, 8]
 * @param steps the second pass's steps; 0: as the first pass's
 * @param strength the share of the second pass's schedule that runs, in (0, 1]
 * @param upscaler one of {@link #BUILT_IN}, or a server's upscaler model id
 */
public record HiresFix(double scale, int steps, double strength, String upscaler) {
    /** The engine's own upscalers; "latent" first, the engine's (and the web UI's) default. */
    public static final List<String> BUILT_IN = List.of("latent", "latent-nearest", "lanczos");
    /** The engine's default strength, the web UI's. */
    public static final double DEFAULT_STRENGTH = 0.7;

    public HiresFix {
        if (!(scale > 1 && scale <= 8)) {
            throw new IllegalArgumentException("hires scale: " + scale + " is outside (1, 8] (0: no hires fix)");
        }
        if (steps < 0 || steps > 1000) {
            throw new IllegalArgumentException("hires steps: " + steps + " is outside 1..1000 (0: as steps)");
        }
        if (!(strength > 0 && strength <= 1)) {
            throw new IllegalArgumentException("hires strength: " + strength + " is outside (0, 1]");
        }
    }

    Hires toProto() {
        return Hires.newBuilder().setScale(scale).setSteps(steps).setStrength(strength).setUpscaler(upscaler).build();
    }
}
