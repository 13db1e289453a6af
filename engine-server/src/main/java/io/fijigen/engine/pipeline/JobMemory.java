package io.fijigen.engine.pipeline;

import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.model.VaeTiling;
import java.util.Arrays;

/**
 * A generation's device memory, estimated before it runs, so a job that cannot fit is refused at
 * once instead of failing (or swapping) minutes in. The estimate follows the two peaks of a job:
 * the UNet's first level over the classifier-free-guidance batch, and the VAE decoder's widest
 * layer at full resolution (at a tile's size for an image decoded in tiles), each a few live
 * activations deep. It is a bound for planning, not an
 * exact count: the point is that a 2048² request on a small budget is refused before it starts.
 */
public final class JobMemory {
    /** Live activations of the widest layer at its peak (input, output, one intermediate). */
    private static final int DECODER_LIVE = 3;
    /** Live activations at the UNet's first level (the block's input, its residual, two intermediates, the skip). */
    private static final int UNET_LIVE = 5;

    private JobMemory() {}

    /** Bytes the request's job needs at its peak on {@code model}'s device. */
    public static long estimateBytes(StableDiffusion model, GenerationRequest request) {
        long images = request.numImages();
        int scale = model.vae().config().downscale();
        long latentPixels = (long) (request.width() / scale) * (request.height() / scale);
        long elementBytes = model.dtype().getNumOfBytes();
        long decoderWidth = Arrays.stream(model.vae().config().blockOutChannels()).max().orElse(0);
        // A large image is decoded tile by tile: the peak is one tile's.
        long decodedPixels = VaeTiling.tiled(request.width(), request.height())
                ? (long) VaeTiling.TILE_PIXELS * VaeTiling.TILE_PIXELS
                : request.width() * (long) request.height();
        long decoder = images * decodedPixels * decoderWidth * DECODER_LIVE;
        long unet = 2 * images * latentPixels * model.unet().config().blockOutChannels()[0] * UNET_LIVE;
        return Math.max(decoder, unet) * elementBytes;
    }

    /**
     * @throws JobMemoryException when the estimate exceeds {@code budgetBytes}, naming both and what to change
     */
    public static void check(StableDiffusion model, GenerationRequest request, long budgetBytes) {
        long needed = estimateBytes(model, request);
        if (needed > budgetBytes) {
            throw new JobMemoryException("the job would need about " + (needed >> 20) + " MiB of device memory, more"
                    + " than this server's job budget of " + (budgetBytes >> 20) + " MiB (" + request.numImages()
                    + " image(s) of " + request.width() + "×" + request.height() + "): ask for fewer images or a"
                    + " smaller size");
        }
    }

    /** A job larger than the device memory budget. */
    public static final class JobMemoryException extends RuntimeException {
        JobMemoryException(String message) {
            super(message);
        }
    }
}
