package io.fijigen.engine.pipeline;

import io.fijigen.engine.tensor.HostTensor;
import java.util.Arrays;

/** What a generation request may ask for, checked before any work starts. */
public final class RequestLimits {
    /** Largest image side: 4096² latents already need tens of GiB in the UNet's attention. */
    public static final int MAX_SIDE = 4096;
    public static final int MAX_STEPS = 1000;
    public static final int MAX_IMAGES = 16;

    private RequestLimits() {}

    /** @param downscale the VAE's pixel-to-latent factor (8 for SD) */
    public static void check(GenerationRequest request, int downscale, int textLayers) {
        if (request.prompt() == null) {
            throw new InvalidRequestException("prompt", "prompt is missing");
        }
        if (request.steps() < 1 || request.steps() > MAX_STEPS) {
            throw new InvalidRequestException("steps", "steps " + request.steps() + " is outside 1.." + MAX_STEPS);
        }
        if (request.numImages() < 1 || request.numImages() > MAX_IMAGES) {
            throw new InvalidRequestException("num_images",
                    "num_images " + request.numImages() + " is outside 1.." + MAX_IMAGES);
        }
        if (!Double.isFinite(request.guidance()) || request.guidance() < 0) {
            throw new InvalidRequestException("guidance", "guidance " + request.guidance() + " must be a number ≥ 0");
        }
        if (request.clipSkip() < 1 || request.clipSkip() > textLayers) {
            throw new InvalidRequestException("clip_skip",
                    "clip skip " + request.clipSkip() + " is outside 1.." + textLayers + " (the text encoder's layers)");
        }
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

    /** Checks given latents against the shape the job will draw, [images, channels, h/8, w/8]. */
    public static void checkLatents(HostTensor latents, long[] expected) {
        if (!Arrays.equals(latents.shape(), expected)) {
            throw new InvalidRequestException("latents", "latents have shape " + Arrays.toString(latents.shape())
                    + " but this request needs " + Arrays.toString(expected));
        }
    }

    private static void checkImg2Img(GenerationRequest request) {
        double strength = request.strength();
        if (!(strength > 0 && strength <= 1)) {
            throw new InvalidRequestException("strength", "strength " + strength + " is outside (0, 1]");
        }
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
            if (shape[axis] < 8 || shape[axis] > MAX_SIDE) {
                throw new InvalidRequestException("init_image", "init image side " + shape[axis]
                        + " is outside 8.." + MAX_SIDE);
            }
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

    private static void checkSide(String field, int value, int multiple) {
        if (value < multiple || value > MAX_SIDE) {
            throw new InvalidRequestException(field, field + " " + value + " is outside " + multiple + ".." + MAX_SIDE);
        }
        if (value % multiple != 0) {
            int below = value - value % multiple;
            throw new InvalidRequestException(field, field + " " + value + " is not a multiple of " + multiple
                    + " (try " + below + " or " + (below + multiple) + ")");
        }
    }
}
