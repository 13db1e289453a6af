package io.fijigen.engine.pipeline;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.schedule.Scheduler;

/**
 * The reference's {@code StableDiffusionImg2ImgPipeline}: the init image is encoded (a sample of
 * the VAE posterior), noised to the timestep where {@code strength} enters the schedule, and
 * denoised from there. Draw order from the job's generator: the posterior sample's ε, then the
 * forward noise.
 */
public final class Img2Img {
    private Img2Img() {}

    public static GenerationResult generate(StableDiffusion model, GenerationRequest request, StepListener listener) {
        try (DiffusionJob job = DiffusionJob.start(model, request)) {
            NDArray image = ImagePreprocessor.toModelInput(request.initImage(), model.vae().config().downscale(),
                    job.manager());
            NDArray initLatents = job.batch(job.encodeLatents(image), request.numImages());
            image.close();
            return denoiseFrom(job, request, initLatents, listener);
        }
    }

    /**
     * The denoising from {@code initLatents}, noised to where strength enters the schedule (one draw
     * from the job's generator), then decoded: the hires fix's latent upscalers start here too.
     */
    static GenerationResult denoiseFrom(DiffusionJob job, GenerationRequest request, NDArray initLatents,
            StepListener listener) {
        int startIndex = startIndex(request.steps(), request.strength(), job.scheduler().order());
        NDArray noise = job.noise().randn(initLatents.getShape(), job.manager());
        NDArray latents = job.scheduler().addNoise(initLatents, noise, startIndex);
        latents.attach(job.manager());
        noise.close();
        initLatents.close();
        return job.finish(job.denoise(latents, startIndex, StepStrategy.NONE, listener), listener);
    }

    /**
     * The steps its loop runs, what a listener is told as their total: the scheduler's timesteps from
     * where strength enters (the latent hires fix's second pass, without an init image, too).
     */
    static int steps(StableDiffusion model, GenerationRequest request) {
        Scheduler scheduler = RequestLimits.scheduler(request, model.schedulerConfig());
        return scheduler.timesteps().length - startIndex(request.steps(), request.strength(), scheduler.order());
    }

    /**
     * Where strength enters the schedule, as the reference's {@code get_timesteps}: the last
     * {@code int(steps · strength)} steps run.
     */
    static int startIndex(int steps, double strength, int order) {
        int initTimestep = Math.min((int) (steps * strength), steps);
        int start = Math.max(steps - initTimestep, 0);
        if (steps - start < 1) {
            throw new InvalidRequestException("strength", "strength " + strength + " with " + steps
                    + " steps leaves no step to run (need steps · strength ≥ 1)");
        }
        return start * order;
    }
}
