package io.fijigen.engine.cli;

import io.fijigen.proto.v1.Refine;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Refine Upscale on the command line: {@code upscale --refine}, {@code UpscaleRequest.refine}. With it,
 * --model is the Stable Diffusion model that repaints the tiles, and --tile, --tile-overlap, --steps,
 * --guidance, --scheduler, --timestep-spacing and --eta are the tiles' ({@link ProtoRequests#upscale} maps them).
 */
final class RefineOptions {
    @Option(names = "--refine", required = true, description = "Refine Upscale: enlarge by --factor (Lanczos, or"
            + " --upscaler first), then img2img tile by tile with --model (a Stable Diffusion model), the tiles blended"
            + " over their overlaps; prints PSNR and SSIM of the result shrunk back against the input")
    boolean refine;

    @Option(names = "--controlnet", paramLabel = "MODEL", description = "refine: a tile ControlNet (folder; with"
            + " --server, its id) guiding each tile, its control image the tile itself")
    Path controlNet;

    @Option(names = "--strength", paramLabel = "S", description = "refine: share of each tile's schedule that runs,"
            + " in (0, 1] (default ${DEFAULT-VALUE})")
    double strength;

    @Option(names = "--upscaler", paramLabel = "MODEL", description = "refine: an x4 upscaler model (folder; with"
            + " --server, its id) that enlarges first (then Lanczos to --factor); default: Lanczos alone")
    Path upscaler;

    Optional<Path> upscaler() {
        return Optional.ofNullable(upscaler);
    }

    /** The tiles' model and ControlNet, strength; the caller adds the sampling and tiling options given. */
    Refine.Builder toProto(String modelId, ModelIds ids) {
        Refine.Builder refine = Refine.newBuilder().setModelId(modelId).setStrength(strength);
        if (controlNet != null) {
            refine.setControlnetId(ids.of(controlNet.toString()));
        }
        return refine;
    }
}
