package io.fijigen.engine.pipeline;

/** The entry point the CLI and the server share: txt2img or img2img by what the request holds. */
public final class Pipelines {
    private Pipelines() {}

    public static GenerationResult generate(StableDiffusion model, GenerationRequest request, StepListener listener) {
        return request.isImg2Img()
                ? Img2Img.generate(model, request, listener)
                : Txt2Img.generate(model, request, listener);
    }
}
