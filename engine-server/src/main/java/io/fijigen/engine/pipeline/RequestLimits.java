package io.fijigen.engine.pipeline;

import io.fijigen.engine.config.SchedulerConfig;
import io.fijigen.engine.schedule.Scheduler;
import io.fijigen.engine.schedule.SchedulerChoiceException;
import io.fijigen.engine.schedule.Schedulers;
import io.fijigen.engine.schedule.TimestepSpacing;
import io.fijigen.engine.tensor.HostTensor;
import java.util.Arrays;

/**
 * What a generation request may ask for, checked before any work starts, by the ranges of {@link
 * RequestField}; the server's translator checks the same before a job is queued, these checks hold
 * for every other caller of the pipelines.
 */
public final class RequestLimits {
    private RequestLimits() {}

    /**
     * @param downscale the VAE's pixel-to-latent factor (8 for SD)
     * @param maxClipSkip the model's ({@code StableDiffusion.maxClipSkip()}: SDXL's is one less than its
     *     text encoders' layers)
     */
    public static void check(GenerationRequest request, int downscale, int maxClipSkip) {
        if (request.prompt() == null) {
            throw new InvalidRequestException("prompt", "prompt is missing");
        }
        RequestField.STEPS.check("steps", request.steps());
        RequestField.NUM_IMAGES.check("num_images", request.numImages());
        RequestField.GUIDANCE.check("guidance", request.guidance());
        checkSchedulerValues(request);
        FieldRange.ints(1, maxClipSkip).check("clip_skip", request.clipSkip());
        if (request.isImg2Img()) {
            checkImg2Img(request);
        } else {
            checkSide("width", request.width(), downscale);
            checkSide("height", request.height(), downscale);
        }
        if (request.isInpaint()) {
            checkMask(request);
        } else if (request.latents() != null && request.isImg2Img()) {
            throw new InvalidRequestException("latents", "latents cannot be given with an init image (only when inpainting)");
        }
    }

    /**
     * The request's scheduler choice built for the model whose own scheduler config is {@code modelOwn}:
     * its steps, and a spacing or eta the scheduler does not read, refused naming the field.
     *
     * @return the scheduler, set to the request's steps
     */
    public static Scheduler scheduler(GenerationRequest request, SchedulerConfig modelOwn) {
        try {
            return Schedulers.forChoice(request.schedulerChoice(), modelOwn, request.steps());
        } catch (SchedulerChoiceException e) {
            throw new InvalidRequestException(e.field(), e.getMessage());
        }
    }

    private static void checkSchedulerValues(GenerationRequest request) {
        String spacing = request.timestepSpacing();
        if (spacing != null && !TimestepSpacing.NAMES.contains(spacing)) {
            throw new InvalidRequestException("timestep_spacing", "timestep_spacing: '" + spacing
                    + "' is not a spacing (use " + String.join(", ", TimestepSpacing.NAMES) + ")");
        }
        request.eta().ifPresent(eta -> RequestField.ETA.check("eta", eta));
    }

    /** Checks given latents against the shape the job will draw, [images, channels, h/8, w/8]. */
    public static void checkLatents(HostTensor latents, long[] expected) {
        if (!Arrays.equals(latents.shape(), expected)) {
            throw new InvalidRequestException("latents", "latents have shape " + Arrays.toString(latents.shape())
                    + " but this request needs " + Arrays.toString(expected));
        }
    }

    private static void checkImg2Img(GenerationRequest request) {
        RequestField.STRENGTH.check("strength", request.strength());
        long[] shape = request.initImage().shape();
        if (shape.length != 4 || shape[1] != 3) {
            throw new InvalidRequestException("init_image",
                    "init image must be [N, 3, H, W], got " + Arrays.toString(shape));
        }
        if (shape[0] != 1 && shape[0] != request.numImages()) {
            throw new InvalidRequestException("init_image", "init image batch " + shape[0]
                    + " must be 1 or num_images (" + request.numImages() + ")");
        }
        for (int axis = 2; axis < 4; axis++) {
            RequestField.IMAGE_SIDE.check("init_image", (int) shape[axis]);
        }
    }

    private static void checkMask(GenerationRequest request) {
        if (!request.isImg2Img()) {
            throw new InvalidRequestException("mask", "a mask needs an init image to inpaint");
        }
        long[] mask = request.mask().shape();
        long[] image = request.initImage().shape();
        if (mask.length != 4 || mask[0] != 1 || mask[1] != 1) {
            throw new InvalidRequestException("mask", "mask must be [1, 1, H, W], got " + Arrays.toString(mask));
        }
        if (mask[2] != image[2] || mask[3] != image[3]) {
            throw new InvalidRequestException("mask", "mask is " + mask[3] + "x" + mask[2] + " but the image is "
                    + image[3] + "x" + image[2]);
        }
        boolean any = false;
        for (float value : request.mask().data()) {
            if (value >= 0.5f) {
                any = true;
                break;
            }
        }
        if (!any) {
            throw new InvalidRequestException("mask", "mask is empty: no pixel is marked for repainting");
        }
    }

    /** The table's sides, in multiples of the model's VAE factor: SD's 8 (the table's), the x4 upscaler's 4. */
    private static void checkSide(String field, int value, int multiple) {
        FieldRange.multiples(multiple, multiple, (int) RequestField.SIDE.range().max()).check(field, value);
    }
}
