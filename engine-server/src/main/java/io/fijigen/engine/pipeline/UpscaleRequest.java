package io.fijigen.engine.pipeline;

import io.fijigen.engine.model.Tiling;
import io.fijigen.engine.tensor.HostTensor;

/**
 * One x4 upscale, as the reference's {@code StableDiffusionUpscalePipeline} takes it.
 *
 * @param generation prompt, negative prompt, steps, guidance, scheduler, seed, number of images,
 *     latents and clip skip, as for any generation (its size and init image are not used)
 * @param image the low-resolution image, [1, 3, H, W] in [0, 1]
 * @param noiseLevel how much noise the low-res image gets before it guides the UNet, 0..the
 *     model's {@code max_noise_level}; also the UNet's class label
 * @param tiling tiles for the UNet and the decoder, on the low-res grid
 * @param factor the size wanted, as a multiple of the input's: the model's 4, or any other, reached
 *     from the ×4 result by Lanczos resampling (e.g. ×2 = ×4, then halved)
 */
public record UpscaleRequest(GenerationRequest generation, HostTensor image, int noiseLevel, Tiling tiling,
        double factor) {
    /** The model's own factor. */
    public static final double MODEL_FACTOR = 4;

    public UpscaleRequest {
        checkFactor(factor);
    }

    /** An upscale by the model's factor, 4. */
    public UpscaleRequest(GenerationRequest generation, HostTensor image, int noiseLevel, Tiling tiling) {
        this(generation, image, noiseLevel, tiling, MODEL_FACTOR);
    }

    /**
     * The noise levels a model takes: 0 to its index's {@code max_noise_level}, 350 (the x4
     * upscaler's) where the index does not say.
     */
    public static FieldRange noiseLevels(Integer maxNoiseLevel) {
        return FieldRange.ints(0, maxNoiseLevel != null ? maxNoiseLevel : 350);
    }

    static void checkFactor(double factor) {
        RequestField.FACTOR.check("factor", factor);
    }

    /** Tiles of 128 low-res pixels (512 out) overlapping by 32: one tile for the common 128² inputs. */
    public static final Tiling DEFAULT_TILING = new Tiling(RequestField.TILE.defaultInt(),
            RequestField.TILE_OVERLAP.defaultInt());
}
