package io.fijigen.engine.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.fijigen.engine.model.ModelFamily;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.model.Tiling;
import io.fijigen.engine.model.VaeTiling;
import io.fijigen.engine.nn.AddedConditions;
import io.fijigen.engine.nn.DiagonalGaussianDistribution;
import io.fijigen.engine.nn.RegionMasks;
import io.fijigen.engine.nn.RegionalText;
import io.fijigen.engine.random.JobNoise;
import io.fijigen.engine.schedule.Scheduler;
import io.fijigen.engine.schedule.SchedulerKind;
import io.fijigen.engine.tensor.HostTensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
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
    private final Conditioning conditioning;
    private final Tiling tiling;
    private final long started = System.nanoTime();

    private DiffusionJob(StableDiffusion model, GenerationRequest request, NDManager manager, Tiling tiling) {
        this.model = model;
        this.request = request;
        this.manager = manager;
        this.noise = new JobNoise(seedOf(request));
        this.schedulerName = request.scheduler() != null
                ? request.scheduler()
                : SchedulerKind.of(model.schedulerConfig()).id();
        this.scheduler = RequestLimits.scheduler(request, model.schedulerConfig());
        this.tiling = tiling;
        this.loop = new DenoisingLoop(model.unet(), request.guidance(), tiling);
        TextualInversions inversions = inversions(model, request, manager);
        this.conditioning = model.family() == ModelFamily.SDXL
                ? sdxlConditioning(model, request, inversions, manager, loop.guided())
                : sdConditioning(model, request, inversions, manager, loop.guided());
    }

    private static Conditioning sdConditioning(StableDiffusion model, GenerationRequest request,
            TextualInversions inversions, NDManager manager, boolean guided) {
        PromptEncoder.Encoded encoded = new PromptEncoder(model.tokenizer(), model.textEncoder(), inversions)
                .encode(manager, request.prompt(), request.negativePrompt(), regionPrompts(request), request.numImages(),
                        guided, request.clipSkip());
        return new Conditioning(encoded.text(), null, regionalText(request, encoded.regions()));
    }

    private static List<String> regionPrompts(GenerationRequest request) {
        return request.regions().stream().map(RegionPrompt::prompt).toList();
    }

    /** The attention couple of the request's regions, or null where none has a text of its own. */
    private static RegionalText regionalText(GenerationRequest request, RegionContexts contexts) {
        if (contexts.contexts() == null) {
            return null;
        }
        List<RegionMasks.Region> regions = new ArrayList<>();
        for (int r = 0; r < request.regions().size(); r++) {
            RegionPrompt region = request.regions().get(r);
            regions.add(new RegionMasks.Region(region.mask().data(), region.weight(), contexts.groupOf()[r]));
        }
        long[] shape = request.regions().get(0).mask().shape();
        int groups = (int) (contexts.contexts().getShape().get(0) / request.numImages());
        return new RegionalText(contexts.contexts(), new RegionMasks((int) shape[2], (int) shape[3], groups, regions));
    }

    /**
     * SDXL's {@code encode_prompt} and {@code add_time_ids}: both encoders' embeddings, the pooled
     * text and the micro-conditioning's time ids, one row per image (negative rows first when guided).
     */
    private static Conditioning sdxlConditioning(StableDiffusion model, GenerationRequest request,
            TextualInversions inversions, NDManager manager, boolean guided) {
        SdxlPromptEncoder.Encoded encoded = SdxlPromptEncoder.of(model, inversions).encode(manager, request.prompt(),
                request.negativePrompt(), regionPrompts(request), request.numImages(), guided, request.clipSkip());
        SdxlPromptEncoder.Embeddings embeddings = encoded.embeddings();
        MicroConditioning sizes = request.microConditioning();
        int rows = request.numImages() * (guided ? 2 : 1);
        float[] timeIds = new float[rows * 6];
        for (int row = 0; row < rows; row++) {
            boolean negative = guided && row < request.numImages();
            System.arraycopy(sizes.timeIds(request.width(), request.height(), negative), 0, timeIds, row * 6, 6);
        }
        return new Conditioning(embeddings.promptEmbeds(), new AddedConditions(embeddings.pooledPromptEmbeds(),
                manager.create(timeIds, new Shape(rows, 6))), regionalText(request, encoded.regions()));
    }

    /** The request's seed, or a random one (below 2^32, as web UIs draw them) where it asks for one. */
    static long seedOf(GenerationRequest request) {
        return request.seed() == GenerationRequest.RANDOM_SEED
                ? ThreadLocalRandom.current().nextLong(1L << 32)
                : request.seed();
    }

    static DiffusionJob start(StableDiffusion model, GenerationRequest request) {
        return start(model, request, null);
    }

    /** A job whose UNet steps and VAE decode run tile by tile when {@code tiling} is not null. */
    static DiffusionJob start(StableDiffusion model, GenerationRequest request, Tiling tiling) {
        RequestLimits.check(request, model.vae().config().downscale(), model.maxClipSkip());
        if (model.family() != ModelFamily.SDXL && request.microConditioning().isSet()) {
            String field = request.microConditioning().firstField();
            throw new InvalidRequestException(field, field + ": size conditioning is for SDXL models; "
                    + model.name() + " is " + model.family());
        }
        checkControls(request, model);
        mergeLoras(model, request);
        NDManager manager = model.manager().newSubManager();
        try {
            return new DiffusionJob(model, request, manager, tiling);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The request's LoRAs in the model's weights, and no others (a LoRA-free job gets the weights as loaded). */
    private static void mergeLoras(StableDiffusion model, GenerationRequest request) {
        try {
            model.loras().set(request.loras());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read a LoRA: " + e.getMessage(), e);
        }
    }

    private static TextualInversions inversions(StableDiffusion model, GenerationRequest request, NDManager manager) {
        try {
            return TextualInversions.load(request.embeddings(), model, manager);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read an embedding: " + e.getMessage(), e);
        }
    }

    /** Each ControlNet must read the base model's text embeddings and take an RGB control image. */
    private static void checkControls(GenerationRequest request, StableDiffusion model) {
        int textWidth = model.unet().config().crossAttentionDim();
        boolean xl = model.unet().config().textTime() != null;
        for (ControlUnit unit : request.controls()) {
            if ((unit.model().config().unet().textTime() != null) != xl) {
                throw new InvalidRequestException("controlnet", "a ControlNet for " + (xl ? "SD 1.x/2.x" : "SDXL")
                        + " cannot guide " + model.name() + ", an " + (xl ? "SDXL" : "SD 1.x/2.x") + " model");
            }
            int controlWidth = unit.model().config().unet().crossAttentionDim();
            if (controlWidth != textWidth) {
                throw new InvalidRequestException("controlnet", "ControlNet cross-attention size " + controlWidth
                        + " does not match the model's " + textWidth + " (a ControlNet for another base model?)");
            }
            long[] shape = unit.image().shape();
            if (shape.length != 4 || shape[0] != 1 || shape[1] != unit.model().config().conditioningChannels()) {
                throw new InvalidRequestException("control_image", "control image must be [1, "
                        + unit.model().config().conditioningChannels() + ", H, W], got " + java.util.Arrays.toString(shape));
            }
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

    boolean guided() {
        return loop.guided();
    }

    /**
     * Runs the loop with the pipeline's strategy, plus the request's ControlNet units, if any, at
     * the size the latents stand for.
     */
    NDArray denoise(NDArray latents, int startIndex, StepStrategy strategy, StepListener listener) {
        StepStrategy steps = strategy;
        if (!request.controls().isEmpty()) {
            int factor = model.vae().config().downscale();
            steps = strategy.and(new ControlNetGuidance(request.controls(), request.numImages(),
                    latents.getShape().get(2) * factor, latents.getShape().get(3) * factor, loop.guided(), manager,
                    listener));
        }
        return loop.run(manager, scheduler, startIndex, latents, conditioning, noise, steps, listener);
    }

    /**
     * An image's latents as the reference's {@code retrieve_latents(vae.encode(image), generator)}
     * · {@code scaling_factor}: a sample of the posterior, its ε drawn from the job's generator.
     */
    NDArray encodeLatents(NDArray image) {
        Tiling tiles = VaeTiling.forEncode(image.getShape());
        int downscale = model.vae().config().downscale();
        NDArray moments = tiles == null ? model.encoder().moments(image)
                : tiles.applyToHost(image, 1, downscale, model.encoder()::moments).toNDArray(manager);
        try (moments; DiagonalGaussianDistribution posterior = new DiagonalGaussianDistribution(moments)) {
            NDArray epsilon = noise.randn(posterior.mean().getShape(), manager);
            NDArray sample = posterior.sample(epsilon);
            NDArray latents = sample.mul((float) model.vae().config().scalingFactor());
            sample.close();
            epsilon.close();
            return latents;
        }
    }

    /**
     * One entry per image, as the reference repeats a single image's latents (or mask) over the
     * batch; a batch already of that size is kept.
     */
    NDArray batch(NDArray single, int images) {
        if (single.getShape().get(0) >= images) {
            return single;
        }
        NDArray repeated = single.repeat(0, images);
        single.close();
        return repeated;
    }

    /**
     * Decodes the final latents (divided by the VAE's scaling factor, as the reference does) into
     * images, unless {@code listener} says the job is cancelled, before the decode or between its tiles.
     */
    GenerationResult finish(NDArray latents, StepListener listener) {
        listener.stopIfCancelled("before the VAE decode");
        NDArray unscaled = latents.div((float) model.vae().config().scalingFactor());
        latents.close();
        HostTensor images = ImagePreprocessor.toImages(model.decoder().decodeToHost(unscaled, tiling,
                () -> listener.stopIfCancelled("between VAE decode tiles")));
        unscaled.close();
        LOG.info("generated {} image(s) {}x{}, {} steps of {}, seed {}, model {} in {} s", request.numImages(),
                images.dim(2), images.dim(1), request.steps(), schedulerName, noise.seed(), model.name(),
                String.format("%.2f", (System.nanoTime() - started) / 1e9));
        return new GenerationResult(images, noise.seed(), request.toBuilder().seed(noise.seed()).build(), model.name(), schedulerName);
    }

    @Override
    public void close() {
        manager.close();
    }
}
