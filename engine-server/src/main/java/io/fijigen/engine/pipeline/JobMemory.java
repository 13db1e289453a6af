package io.fijigen.engine.pipeline;

import io.fijigen.engine.model.FamilyId;
import io.fijigen.engine.model.PipelineConfigs;
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
     * Bytes the request's job needs at its peak, for a model of {@code configs} at {@code elementBytes}
     * a value, with {@code units} ControlNet units (a request is checked before its units get their models).
     */
    public static long estimateBytes(PipelineConfigs configs, int elementBytes, GenerationRequest request, int units) {
        // As StableDiffusion's decoder: only SDXL's pipelines honour force_upcast.
        boolean upcastDecode = FamilyId.of(configs).isSdxl() && configs.vae().forceUpcast();
        int decoderBytes = upcastDecode ? Float.BYTES : elementBytes;
        long images = request.numImages();
        int scale = configs.vae().downscale();
        long latentPixels = (long) (request.width() / scale) * (request.height() / scale);
        long pixels = request.width() * (long) request.height();
        long decoderWidth = Arrays.stream(configs.vae().blockOutChannels()).max().orElse(0);
        // A large image is decoded tile by tile: the peak is one tile's.
        long decodedPixels = VaeTiling.tiled(request.width(), request.height())
                ? (long) VaeTiling.TILE_PIXELS * VaeTiling.TILE_PIXELS : pixels;
        long decoder = images * decodedPixels * decoderWidth * DECODER_LIVE;
        long guided = 2 * images;
        long firstLevel = guided * latentPixels * configs.unet().blockOutChannels()[0];
        long controls = units == 0 ? 0 : units * guided * 3 * pixels + firstLevel * CONTROL_RESIDUALS;
        long unet = firstLevel * UNET_LIVE + controls;
        return Math.max(decoder * decoderBytes, unet * elementBytes);
    }

    /**
     * @throws JobMemoryException when the estimate exceeds {@code budgetBytes}, naming both and what to change
     */
    public static void check(PipelineConfigs configs, int elementBytes, GenerationRequest request, int units,
            long budgetBytes) {
        long needed = estimateBytes(configs, elementBytes, request, units);
        if (needed > budgetBytes) {
            throw new JobMemoryException("the job would need about " + (needed >> 20) + " MiB of device memory, more"
                    + " than this server's job budget of " + (budgetBytes >> 20) + " MiB (" + request.numImages()
                    + " image(s) of " + request.width() + "×" + request.height() + ", " + units
                    + " ControlNet unit(s)): ask for fewer images, units or a smaller size");
        }
    }

    /** A job larger than the device memory budget. */
    public static final class JobMemoryException extends RuntimeException {
        JobMemoryException(String message) {
            super(message);
        }
    }
}
