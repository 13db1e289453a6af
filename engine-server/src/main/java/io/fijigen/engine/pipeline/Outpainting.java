package io.fijigen.engine.pipeline;

import io.fijigen.engine.image.CropRegion;
import io.fijigen.engine.image.ExpandedCanvas;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.tensor.Layouts;

/**
 * Outpainting as inpainting of a grown canvas: the image on a canvas grown by the request's
 * {@link Outpaint} (and, where that is not a multiple of 8 on a side, by a few more pixels on the
 * right and bottom), a mask over the new border and {@code overlap} pixels of the image along each
 * side that grows, then {@link InpaintSelection} (the 9-channel UNet or latent blending, with its
 * paste-back) and the result cropped to exactly the grown size. Padding on a side that does not grow
 * is left unmasked, so no pixel of the image changes along that side.
 */
public final class Outpainting {
    private Outpainting() {}

    public static GenerationResult generate(StableDiffusion model, GenerationRequest request, StepListener listener) {
        RequestLimits.check(request, model.vae().config().downscale(), model.maxClipSkip());
        Outpaint outpaint = request.outpaint();
        // The noise fill draws from the job's seed, so a random seed is drawn here and reported as the job's.
        long seed = DiffusionJob.seedOf(request);
        HostTensor image = request.initImage();
        int imageWidth = (int) image.dim(3);
        int imageHeight = (int) image.dim(2);
        int width = outpaint.width(imageWidth);
        int height = outpaint.height(imageHeight);
        int padRight = Outpaint.generatedSide(width) - width;
        int padBottom = Outpaint.generatedSide(height) - height;
        HostTensor canvas = ExpandedCanvas.expand(image, outpaint.left(), outpaint.top(), outpaint.right() + padRight,
                outpaint.bottom() + padBottom, outpaint.fill(), seed);
        int overlap = outpaint.overlap();
        HostTensor mask = ExpandedCanvas.maskOutside(width + padRight, height + padBottom,
                outpaint.left() > 0 ? outpaint.left() + overlap : 0,
                outpaint.top() > 0 ? outpaint.top() + overlap : 0,
                outpaint.right() > 0 ? outpaint.left() + imageWidth - overlap : width + padRight,
                outpaint.bottom() > 0 ? outpaint.top() + imageHeight - overlap : height + padBottom);
        GenerationResult result = InpaintSelection.generate(model, request.toBuilder()
                .outpaint(null)
                .seed(seed)
                .initImage(canvas, request.strength())
                .mask(mask)
                .size(width + padRight, height + padBottom)
                .build(), listener);
        HostTensor images = result.images();
        if (padRight > 0 || padBottom > 0) {
            CropRegion grown = new CropRegion(0, 0, width, height);
            images = Layouts.nchwToNhwc(grown.crop(Layouts.nhwcToNchw(images)));
        }
        return new GenerationResult(images, result.seed(), request.toBuilder().seed(result.seed()).build(),
                result.model(), result.schedulerName());
    }
}
