package io.fijigen.engine.pipeline;

import io.fijigen.engine.image.CropRegion;
import io.fijigen.engine.image.ImageResize;
import io.fijigen.engine.image.MaskCompositor;
import io.fijigen.engine.image.Masks;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.tensor.Layouts;

/**
 * Inpainting as an editor does it, around the reference pipeline ({@link Inpaint}): the mask is
 * grown, optionally only its surroundings are generated (at the request's size, for detail), and
 * the result is pasted into the original with the feathered mask as alpha, so every pixel beyond
 * the feather is the input's own, bit for bit: the VAE round trip never leaks outside the mask.
 */
public final class InpaintSelection {
    /** Side of the generation in "only masked" mode, rounded to the latent grid. */
    private static final int MULTIPLE = 8;

    private InpaintSelection() {}

    public static GenerationResult generate(StableDiffusion model, GenerationRequest request, StepListener listener) {
        // Checked before the mask is worked on, so a bad mask is reported as such, not as a crop error.
        RequestLimits.check(request, model.vae().config().downscale(), model.maxClipSkip());
        InpaintOptions options = request.inpaintOptions();
        HostTensor mask = Masks.grow(request.mask(), options.grow());
        if (!options.onlyMasked() && !options.pasteBack()) {
            return Inpaint.generate(model, request.toBuilder().mask(mask).build(), listener);
        }
        HostTensor image = request.initImage();
        HostTensor alpha = Masks.blur(mask, options.blur());
        if (!options.onlyMasked()) {
            GenerationResult result = Inpaint.generate(model, request.toBuilder().mask(mask).build(), listener);
            return withImages(result, paste(image, result.images(), null, alpha));
        }
        CropRegion region = CropRegion.around(alpha, options.padding());
        int[] size = region.generationSize(request.width(), request.height(), MULTIPLE);
        HostTensor croppedImage = ImageResize.resize(region.crop(image), size[1], size[0]);
        HostTensor croppedMask = Masks.resizeNearest(region.crop(mask), size[1], size[0]);
        GenerationResult result = Inpaint.generate(model, request.toBuilder()
                .initImage(croppedImage, request.strength())
                .mask(croppedMask)
                .size(size[0], size[1])
                .build(), listener);
        if (!options.pasteBack()) {
            return result;
        }
        return withImages(result, paste(image, result.images(), region, alpha));
    }

    /**
     * Each generated image (NHWC, at the generation size) scaled to the region (the whole image
     * when {@code region} is null) and composited into the original.
     */
    private static HostTensor paste(HostTensor original, HostTensor generated, CropRegion region, HostTensor alpha) {
        int count = (int) generated.dim(0);
        HostTensor[] pasted = new HostTensor[count];
        for (int i = 0; i < count; i++) {
            HostTensor one = Layouts.nhwcToNchw(Layouts.batchEntry(generated, i));
            if (region == null) {
                pasted[i] = MaskCompositor.pasteBack(original, one, alpha);
            } else {
                HostTensor fitted = ImageResize.resize(one, region.height(), region.width());
                pasted[i] = MaskCompositor.pasteBack(original, fitted, region, alpha);
            }
        }
        return Layouts.nchwToNhwc(Layouts.stack(pasted));
    }

    private static GenerationResult withImages(GenerationResult result, HostTensor images) {
        return new GenerationResult(images, result.seed(), result.request(), result.model(), result.schedulerName());
    }
}
