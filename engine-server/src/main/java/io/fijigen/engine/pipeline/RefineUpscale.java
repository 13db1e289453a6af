package io.fijigen.engine.pipeline;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.fijigen.engine.image.DataConsistency;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.model.Tiling;
import io.fijigen.engine.schedule.SchedulerKind;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.tensor.Layouts;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Refine Upscale's second stage: an enlarged image repainted tile by tile by img2img, as the
 * community's tiled refiners (Ultimate SD Upscale) do, the tiles blended by {@link Tiling}'s linear
 * ramps across their overlaps. Tile k (row by row from 0) runs with seed + k, so neighbouring tiles
 * draw different noise, and with its own enlarged pixels as init image and as every ControlNet
 * unit's control image (a tile ControlNet then holds the tile to what it shows).
 */
public final class RefineUpscale {
    private static final int MULTIPLE = 8;

    private RefineUpscale() {}

    /**
     * @param tileRequest prompts, steps, guidance, scheduler, seed, strength and ControlNet units
     *     of every tile (its size, init image and control images are replaced)
     * @param enlarged the enlarged image, [1, 3, H, W] in [0, 1]
     * @return the refined image, NHWC as any generation's, with {@code tileRequest} (seeded) as its request
     */
    public static GenerationResult refine(StableDiffusion model, GenerationRequest tileRequest, HostTensor enlarged,
            int tile, int overlap, StepListener listener) {
        GenerationRequest seeded = tileRequest.toBuilder().seed(DiffusionJob.seedOf(tileRequest)).build();
        int height = (int) enlarged.dim(2);
        int width = (int) enlarged.dim(3);
        Tiling tiling = tiling(tile, overlap, height, width);
        StepListener progress = new PassProgress(listener, steps(model, seeded, tile, overlap, height, width));
        AtomicInteger tileIndex = new AtomicInteger();
        HostTensor refined;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            refined = tiling.applyToHost(enlarged.toNDArray(manager), 1, part -> {
                HostTensor pixels = HostTensor.of(part);
                GenerationRequest request = tileRequestFor(seeded, pixels, tileIndex.getAndIncrement());
                HostTensor result = Img2Img.generate(model, request, progress).images();
                return Layouts.nhwcToNchw(result).toNDArray(part.getManager());
            });
        }
        HostTensor image = Layouts.nchwToNhwc(refined);
        String scheduler = seeded.scheduler() != null ? seeded.scheduler()
                : SchedulerKind.of(model.schedulerConfig()).id();
        return new GenerationResult(image, seeded.seed(), seeded, model.name(), scheduler);
    }

    /**
     * The steps of refining an enlarged image of {@code height × width}: every tile's img2img steps, those
     * {@code tileRequest}'s strength leaves, tile after tile.
     */
    public static int steps(StableDiffusion model, GenerationRequest tileRequest, int tile, int overlap, int height,
            int width) {
        Tiling tiling = tiling(tile, overlap, height, width);
        return tiling.spans(height).size() * tiling.spans(width).size() * Img2Img.steps(model, tileRequest);
    }

    /**
     * The tiling of an output of {@code height × width}: tiles capped at its shorter side rounded down to a
     * multiple of 8 (img2img's sizes), the overlap at less than half the tile.
     */
    public static Tiling tiling(int tile, int overlap, int height, int width) {
        int side = Math.min(tile, Math.max(MULTIPLE, Math.min(height, width) / MULTIPLE * MULTIPLE));
        return new Tiling(side, Math.min(overlap, Tiling.maxOverlap(side)));
    }

    /**
     * The keys a refine adds after the tiles' own parameters: the factor, what enlarged the image first,
     * the tiling, the tile ControlNets and the consistency with the input.
     */
    public static String parameters(double factor, String upscaler, int tile, int overlap, List<String> controlNets,
            DataConsistency consistency) {
        return ", Refine upscale: " + FieldRange.number(factor)
                + ", Refine upscaler: " + upscaler
                + ", Tile size: " + tile
                + ", Tile overlap: " + overlap
                + (controlNets.isEmpty() ? "" : ", Tile ControlNet: " + String.join(" ", controlNets))
                + ", PSNR: " + String.format(Locale.ROOT, "%.2f dB", consistency.psnr())
                + ", SSIM: " + String.format(Locale.ROOT, "%.4f", consistency.ssim());
    }

    private static GenerationRequest tileRequestFor(GenerationRequest seeded, HostTensor pixels, int index) {
        GenerationRequest.Builder builder = seeded.toBuilder()
                .withoutControls()
                .seed(seeded.seed() + index)
                .size((int) pixels.dim(3), (int) pixels.dim(2))
                .initImage(pixels, seeded.strength());
        seeded.controls().forEach(unit -> builder.control(unit.withImage(pixels)));
        return builder.build();
    }
}
