package io.fijigen.engine.pipeline;

/**
 * The entry point the CLI and the server share: txt2img, img2img or inpainting by what the request
 * holds, each with the request's ControlNet units.
 */
public final class Pipelines {
    private Pipelines() {}

    public static GenerationResult generate(StableDiffusion model, GenerationRequest request, StepListener listener) {
        if (request.isInpaint()) {
            return InpaintSelection.generate(model, request, listener);
        }
        return request.isImg2Img()
                ? Img2Img.generate(model, request, listener)
                : Txt2Img.generate(model, request, listener);
    }
}
