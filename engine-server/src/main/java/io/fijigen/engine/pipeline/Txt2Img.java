package io.fijigen.engine.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.tensor.HostTensor;

/**
 * The reference's {@code StableDiffusionPipeline}: latents drawn (or given), scaled by the
 * scheduler's initial sigma, denoised over the whole schedule, decoded.
 */
public final class Txt2Img {
    private Txt2Img() {}

    public static GenerationResult generate(StableDiffusion model, GenerationRequest request, StepListener listener) {
        try (DiffusionJob job = DiffusionJob.start(model, request)) {
            return job.finish(denoise(job, model, request, listener), listener);
        }
    }

    /**
     * The steps its loop runs, what a listener is told as their total: one per timestep of the
     * scheduler, which need not be the request's steps (PNDM repeats one: 20 steps run 21).
     */
    static int steps(StableDiffusion model, GenerationRequest request) {
        return RequestLimits.scheduler(request, model.schedulerConfig()).timesteps().length;
    }

    /** The denoised latents, not decoded (scaled as the UNet sees them): what the hires fix's latent upscalers take. */
    static HostTensor latents(StableDiffusion model, GenerationRequest request, StepListener listener) {
        try (DiffusionJob job = DiffusionJob.start(model, request)) {
            return HostTensor.of(denoise(job, model, request, listener));
        }
    }

    private static NDArray denoise(DiffusionJob job, StableDiffusion model, GenerationRequest request,
            StepListener listener) {
        int factor = model.vae().config().downscale();
        Shape shape = new Shape(request.numImages(), model.unet().config().inChannels(),
                request.height() / factor, request.width() / factor);
        NDArray latents;
        if (request.latents() != null) {
            RequestLimits.checkLatents(request.latents(), shape.getShape());
            latents = request.latents().toNDArray(job.manager());
        } else {
            latents = job.noise().randn(shape, job.manager());
        }
        NDArray scaled = latents.mul(job.scheduler().initNoiseSigma());
        latents.close();
        return job.denoise(scaled, 0, StepStrategy.NONE, listener);
    }
}
