package io.fijigen.engine.pipeline;

import io.fijigen.engine.model.StableDiffusion;

/**
 * The entry point the CLI and the server share: txt2img (with or without the hires fix), img2img,
 * inpainting or outpainting by what the request holds, each with the request's ControlNet units, and
 * the safety check when the request has a checker.
 */
public final class Pipelines {
    private Pipelines() {}

    public static GenerationResult generate(StableDiffusion model, GenerationRequest request, StepListener listener) {
        GenerationResult result;
        if (request.hires() != null) {
            result = HiresFix.generate(model, request, listener);
        } else if (request.isOutpaint()) {
            result = Outpainting.generate(model, request, listener);
        } else if (request.isInpaint()) {
            result = InpaintSelection.generate(model, request, listener);
        } else {
            result = request.isImg2Img()
                    ? Img2Img.generate(model, request, listener)
                    : Txt2Img.generate(model, request, listener);
        }
        // On the images as returned (pasted back when inpainting), which is what the user sees.
        return request.safetyChecker() == null ? result : request.safetyChecker().check(result);
    }
}
