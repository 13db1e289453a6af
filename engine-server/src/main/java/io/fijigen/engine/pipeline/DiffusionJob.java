package io.fijigen.engine.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.fijigen.engine.schedule.Scheduler;
import io.fijigen.engine.schedule.Schedulers;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every pipeline does around its own latent preparation: check the request, seed the job's
 * generator, configure the scheduler, encode the prompt, run the shared loop, decode. All arrays
 * of the job live in one manager, closed with the job.
 */
final class DiffusionJob implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DiffusionJob.class);

    private final StableDiffusion model;
    private final GenerationRequest request;
    private final NDManager manager;
    private final JobNoise noise;
    private final String schedulerName;
    private final Scheduler scheduler;
    private final DenoisingLoop loop;
    private final NDArray text;
    private final long started = System.nanoTime();

    private DiffusionJob(StableDiffusion model, GenerationRequest request, NDManager manager) {
        this.model = model;
        this.request = request;
        this.manager = manager;
        long seed = request.seed() == GenerationRequest.RANDOM_SEED
                ? ThreadLocalRandom.current().nextLong(1L << 32)
                : request.seed();
        this.noise = new JobNoise(seed);
        this.schedulerName = request.scheduler() != null
                ? request.scheduler()
                : SamplerNames.ofClass(model.schedulerConfig().className(), model.schedulerConfig().useKarrasSigmas());
        this.scheduler = Schedulers.create(request.scheduler(), model.schedulerConfig(), request.steps());
        this.loop = new DenoisingLoop(model.unet(), request.guidance());
        this.text = new PromptEncoder(model.tokenizer(), model.textEncoder()).encode(manager, request.prompt(),
                request.negativePrompt(), request.numImages(), loop.guided(), request.clipSkip());
    }

    static DiffusionJob start(StableDiffusion model, GenerationRequest request) {
        RequestLimits.check(request, model.vae().config().downscale(), model.textEncoder().config().numHiddenLayers());
        NDManager manager = model.manager().newSubManager();
        try {
            return new DiffusionJob(model, request, manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    NDManager manager() {
        return manager;
    }

    JobNoise noise() {
        return noise;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    NDArray denoise(NDArray latents, int startIndex, StepListener listener) {
        return loop.run(manager, scheduler, startIndex, latents, text, noise, listener);
    }

    /** Decodes the final latents (divided by the VAE's scaling factor, as the reference does) into images. */
    GenerationResult finish(NDArray latents) {
        NDArray unscaled = latents.div((float) model.vae().config().scalingFactor());
        latents.close();
        NDArray decoded = model.vae().decode(unscaled);
        unscaled.close();
        HostTensor images = ImagePreprocessor.toImages(decoded);
        decoded.close();
        LOG.info("generated {} image(s) {}x{}, {} steps of {}, seed {}, model {} in {} s", request.numImages(),
                images.dim(2), images.dim(1), request.steps(), schedulerName, noise.seed(), model.name(),
                String.format("%.2f", (System.nanoTime() - started) / 1e9));
        return new GenerationResult(images, noise.seed(), request.withSeed(noise.seed()), model.name(), schedulerName);
    }

    @Override
    public void close() {
        manager.close();
    }
}
