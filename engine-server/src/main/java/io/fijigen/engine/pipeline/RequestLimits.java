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
        if (request.isOutpaint()) {
            checkOutpaint(request);
        }
        if (request.isInpaint()) {
            checkMask(request);
        } else if (request.latents() != null && request.isImg2Img()) {
            throw new InvalidRequestException("latents", "latents cannot be given with an init image (only when inpainting)");
        }
        if (request.hires() != null) {
            checkHires(request);
        }
        if (!request.regions().isEmpty()) {
            checkRegions(request);
        }
    }

    /** Regions: within the count, each with a prompt, a weight in range and a mask at the image's size. */
    private static void checkRegions(GenerationRequest request) {
        RequestField.REGIONS.check("regions", request.regions().size());
        String other = request.isInpaint() ? "a mask (inpainting)" : request.isOutpaint() ? "outpaint" : null;
        if (other != null) {
            throw new InvalidRequestException("regions", "regions: regional prompts work with txt2img (hires fix"
                    + " included) and img2img, not with " + other + " (leave one of them out)");
        }
        long width = request.isImg2Img() ? request.initImage().dim(3) : request.width();
        long height = request.isImg2Img() ? request.initImage().dim(2) : request.height();
        for (int r = 0; r < request.regions().size(); r++) {
            RegionPrompt region = request.regions().get(r);
            String field = "regions[" + r + "]";
            if (region.prompt() == null || region.prompt().isBlank()) {
                throw new InvalidRequestException(field + ".prompt", field + ".prompt is empty; a region needs a"
                        + " prompt of its own (leave the region out to use the base prompt there)");
            }
            RequestField.REGION_WEIGHT.check(field + ".weight", region.weight());
            long[] shape = region.mask().shape();
            if (shape.length != 4 || shape[0] != 1 || shape[1] != 1 || shape[2] != height || shape[3] != width) {
                throw new InvalidRequestException(field + ".mask", field + ".mask is " + describe(shape)
                        + " but the image is " + width + "x" + height + " (draw the mask at the image's size)");
            }
        }
    }

    private static String describe(long[] shape) {
        return shape.length == 4 && shape[0] == 1 && shape[1] == 1 ? shape[3] + "x" + shape[2]
                : Arrays.toString(shape);
    }

    /**
     * The request's scheduler choice built for the model whose own scheduler config is {@code modelOwn}:
     * its steps, and a spacing or eta that is no spacing, outside its range or not read by the scheduler,
     * refused naming the field.
     *
     * @return the scheduler, set to the request's steps
     */
    public static Scheduler scheduler(GenerationRequest request, SchedulerConfig modelOwn) {
        checkSchedulerValues(request);
        try {
            return Schedulers.forChoice(request.schedulerChoice(), modelOwn, request.steps());
        } catch (SchedulerChoiceException e) {
            throw new InvalidRequestException(e.field(), e.getMessage());
        }
    }

    private static void checkSchedulerValues(GenerationRequest request) {
        String spacing = request.timestepSpacing();
        if (spacing != null && !TimestepSpacing.NAMES.contains(spacing)) {
            throw new InvalidRequestException("timestep_spacing", "timestep_spacing: "
                    + TimestepSpacing.unknownName(spacing));
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

    private static void checkHires(GenerationRequest request) {
        HiresOptions hires = request.hires();
        if (request.isImg2Img()) {
            throw new InvalidRequestException("hires", "hires: the hires fix is for txt2img, and this request has an"
                    + " init image (leave hires unset, or the init image out)");
        }
        RequestField.HIRES_SCALE.check("hires.scale", hires.scale());
        if (hires.steps() != 0) {
            RequestField.HIRES_STEPS.check("hires.steps", hires.steps());
        }
        RequestField.HIRES_STRENGTH.check("hires.strength", hires.strength());
        FieldRange sides = RequestField.SIDE.range();
        int width = hires.side(request.width());
        int height = hires.side(request.height());
        if (!sides.contains(width) || !sides.contains(height)) {
            throw new InvalidRequestException("hires.scale", "hires.scale: " + request.width() + "x" + request.height()
                    + " × " + FieldRange.number(hires.scale()) + " gives " + width + "x" + height
                    + "; a generated image's sides are " + sides.text() + " (try a smaller scale or size)");
        }
        int steps = hires.steps(request.steps());
        if ((int) (steps * hires.strength()) < 1) {
            throw new InvalidRequestException("hires.strength", "hires.strength: " + FieldRange.number(hires.strength())
                    + " of " + steps + " steps leaves no step to run (need steps × strength ≥ 1)");
        }
    }

    private static void checkOutpaint(GenerationRequest request) {
        Outpaint outpaint = request.outpaint();
        if (!request.isImg2Img()) {
            throw new InvalidRequestException("outpaint", "outpaint: needs an init image, the image to expand");
        }
        if (request.isInpaint()) {
            throw new InvalidRequestException("outpaint", "outpaint: takes no mask (it paints the grown border)");
        }
        RequestField.OUTPAINT_SIDE.check("outpaint.left", outpaint.left());
        RequestField.OUTPAINT_SIDE.check("outpaint.top", outpaint.top());
        RequestField.OUTPAINT_SIDE.check("outpaint.right", outpaint.right());
        RequestField.OUTPAINT_SIDE.check("outpaint.bottom", outpaint.bottom());
        RequestField.OUTPAINT_OVERLAP.check("outpaint.overlap", outpaint.overlap());
        if (outpaint.isEmpty()) {
            throw new InvalidRequestException("outpaint", "outpaint: every side is 0; grow at least one side");
        }
        int width = outpaint.width((int) request.initImage().dim(3));
        int height = outpaint.height((int) request.initImage().dim(2));
        int largest = (int) RequestField.SIDE.range().max();
        if (width > largest || height > largest) {
            throw new InvalidRequestException("outpaint", "outpaint: the grown image would be " + width + "x" + height
                    + ", beyond the largest side " + largest + " (grow less, or downscale the image first)");
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
