package io.fijigen.engine.pipeline;

import io.fijigen.engine.model.FamilyId;
import io.fijigen.engine.model.PipelineConfigs;
import io.fijigen.engine.model.Tiling;
import io.fijigen.engine.model.VaeTiling;
import java.util.Arrays;

/**
 * A generation's device memory, estimated before it runs, so a job that cannot fit is refused at
 * once instead of failing (or swapping) minutes in. The estimate follows the two peaks of a job:
 * the UNet's first level over the classifier-free-guidance batch, and the VAE decoder's widest
 * layer at full resolution (at a tile's size for an image decoded in tiles), each a few live
 * activations deep; ControlNet units add their control images (held for the whole loop, over the
 * guidance batch) and their residuals to the UNet's peak. It is a bound for planning, not an exact
 * count: the point is that a 2048² request on a small budget is refused before it starts. It is
 * computed from the model's configs, so a request is refused before it is queued.
 *
 * <p>SDXL: its VAE's {@code force_upcast} makes every decode float32, whatever the model's type, so
 * an fp16 SDXL job's decoder peak is twice an fp16 SD one's at the same size. Its second text
 * encoder, pooled text and time ids work on 77 tokens and six numbers, far below either peak; its
 * larger default size (1024²) reaches here as the request's size.
 *
 * <p>A job of several passes needs the largest of their peaks, as each pass frees its activations
 * before the next: a hires fix's first pass, its x4 upscales (image by image, in the upscaler's tiles)
 * and its second pass; an x4 upscale before Refine Upscale's tiles (each tile checked as a generation).
 */
public final class JobMemory {
    /** Live activations of the widest layer at its peak (input, output, one intermediate). */
    private static final int DECODER_LIVE = 3;
    /** Live activations at the UNet's first level (the block's input, its residual, two intermediates, the skip). */
    private static final int UNET_LIVE = 5;
    /**
     * ControlNet residuals in units of the UNet's first-level activation: 3 at the first level, 1.5
     * at the second (twice the channels, a quarter of the pixels), less below; the units' sum and
     * the unit being computed are live together, hence twice that, rounded up.
     */
    private static final int CONTROL_RESIDUALS = 12;

    private JobMemory() {}

    /**
     * Bytes one pass of the request needs at its peak, for a model of {@code configs} at {@code
     * elementBytes} a value, with {@code units} ControlNet units (a request is checked before its units
     * get their models).
     */
    public static long estimateBytes(PipelineConfigs configs, int elementBytes, GenerationRequest request, int units) {
        int scale = configs.vae().downscale();
        long latentPixels = (long) (request.width() / scale) * (request.height() / scale);
        long pixels = request.width() * (long) request.height();
        // A large image is decoded tile by tile: the peak is one tile's.
        long decodedPixels = VaeTiling.tiled(request.width(), request.height())
                ? (long) VaeTiling.TILE_PIXELS * VaeTiling.TILE_PIXELS : pixels;
        return peakBytes(configs, elementBytes, request.numImages(), latentPixels, decodedPixels, pixels, units);
    }

    /**
     * Bytes an x4 upscale of {@code images} image(s) of {@code width × height} needs at its peak. Its
     * latents have the image's size (rounded down to its VAE's multiple), and its UNet and decoder both
     * run in the upscaler's tiles on that grid: the UNet's peak is a tile's, the decoder's a tile's at ×4.
     */
    public static long upscaleBytes(Upscaler x4, int width, int height, int images) {
        int scale = x4.configs().vae().downscale();
        long tileWidth = Math.min(x4.tiling().tile(), width - width % scale);
        long tileHeight = Math.min(x4.tiling().tile(), height - height % scale);
        long latentPixels = tileWidth * tileHeight;
        return peakBytes(x4.configs(), x4.elementBytes(), images, latentPixels, latentPixels * scale * scale, 0, 0);
    }

    /**
     * Bytes the request's job needs at its peak: its one pass's, or with a hires fix the largest of its
     * passes' (the first pass; each image's x4 upscale at the first pass's size when {@code hiresX4} is
     * not null; the second pass at the larger size).
     */
    public static long jobBytes(PipelineConfigs configs, int elementBytes, GenerationRequest request, int units,
            Upscaler hiresX4) {
        HiresOptions hires = request.hires();
        if (hires == null) {
            return estimateBytes(configs, elementBytes, request, units);
        }
        long first = estimateBytes(configs, elementBytes, request, units);
        long second = estimateBytes(configs, elementBytes, secondPass(request), units);
        long x4 = hiresX4 == null ? 0 : upscaleBytes(hiresX4, request.width(), request.height(), 1);
        return Math.max(Math.max(first, second), x4);
    }

    /**
     * @param hiresX4 the x4 upscaler of the request's hires fix; null for none
     * @throws JobMemoryException when the estimate exceeds {@code budgetBytes}, naming both and what to change
     */
    public static void check(PipelineConfigs configs, int elementBytes, GenerationRequest request, int units,
            Upscaler hiresX4, long budgetBytes) {
        long needed = jobBytes(configs, elementBytes, request, units, hiresX4);
        if (needed <= budgetBytes) {
            return;
        }
        long x4Peak = hiresX4 == null ? 0 : upscaleBytes(hiresX4, request.width(), request.height(), 1);
        if (x4Peak == needed) {
            throw tooLarge(needed, budgetBytes, "the hires fix's x4 upscale of each " + request.width() + "×"
                    + request.height() + " image to " + 4 * request.width() + "×" + 4 * request.height()
                    + ", in tiles of " + hiresX4.tiling().tile(), "ask for a smaller size or a hires upscaler"
                    + " other than an x4 model (" + HiresUpscaler.LANCZOS + " or " + HiresUpscaler.LATENT + ")");
        }
        GenerationRequest largest = request.hires() == null ? request : secondPass(request);
        throw tooLarge(needed, budgetBytes, request.numImages() + " image(s) of " + largest.width() + "×"
                + largest.height() + ", " + units + " ControlNet unit(s)",
                "ask for fewer images, units or a smaller size");
    }

    /**
     * @throws JobMemoryException when the x4 upscale of {@code images} image(s) of {@code width × height}
     *     would need more than {@code budgetBytes}, naming both and what to change
     */
    public static void checkUpscale(Upscaler x4, int width, int height, int images, long budgetBytes) {
        long needed = upscaleBytes(x4, width, height, images);
        if (needed > budgetBytes) {
            throw tooLarge(needed, budgetBytes, "the x4 upscale of " + images + " image(s) of " + width + "×" + height
                    + " to " + 4 * width + "×" + 4 * height + ", in tiles of " + x4.tiling().tile(),
                    "ask for smaller tiles or a smaller image");
        }
    }

    /**
     * The peak of a pass: the UNet's first level over the guidance batch, with the ControlNet units'
     * control images and residuals, or the decoder's widest layer over the pixels one decode holds.
     */
    private static long peakBytes(PipelineConfigs configs, int elementBytes, long images, long latentPixels,
            long decodedPixels, long controlPixels, int units) {
        // As StableDiffusion's decoder: only SDXL's pipelines honour force_upcast.
        boolean upcastDecode = FamilyId.of(configs).isSdxl() && configs.vae().forceUpcast();
        int decoderBytes = upcastDecode ? Float.BYTES : elementBytes;
        long decoderWidth = Arrays.stream(configs.vae().blockOutChannels()).max().orElse(0);
        long decoder = images * decodedPixels * decoderWidth * DECODER_LIVE;
        long guided = 2 * images;
        long firstLevel = guided * latentPixels * configs.unet().blockOutChannels()[0];
        long controls = units == 0 ? 0 : units * guided * 3 * controlPixels + firstLevel * CONTROL_RESIDUALS;
        long unet = firstLevel * UNET_LIVE + controls;
        return Math.max(decoder * decoderBytes, unet * elementBytes);
    }

    /** The hires fix's second pass, at its larger size. */
    private static GenerationRequest secondPass(GenerationRequest request) {
        HiresOptions hires = request.hires();
        return request.toBuilder().size(hires.side(request.width()), hires.side(request.height())).build();
    }

    private static JobMemoryException tooLarge(long needed, long budgetBytes, String job, String change) {
        return new JobMemoryException("the job would need about " + (needed >> 20) + " MiB of device memory, more"
                + " than this server's job budget of " + (budgetBytes >> 20) + " MiB (" + job + "): " + change);
    }

    /**
     * An x4 upscaler as a job runs it.
     *
     * @param configs its configs, as read from its folder
     * @param elementBytes bytes a value, as it is loaded
     * @param tiling the tiles its UNet and decoder run in, on the low-res grid
     */
    public record Upscaler(PipelineConfigs configs, int elementBytes, Tiling tiling) {}

    /** A job larger than the device memory budget. */
    public static final class JobMemoryException extends RuntimeException {
        JobMemoryException(String message) {
            super(message);
        }
    }
}
