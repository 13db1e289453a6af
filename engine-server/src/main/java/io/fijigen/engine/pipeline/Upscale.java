package io.fijigen.engine.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.fijigen.engine.config.SchedulerConfig;
import io.fijigen.engine.image.ImageResize;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.schedule.NoiseSchedule;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.tensor.Layouts;
import java.util.Arrays;

/**
 * The reference's {@code StableDiffusionUpscalePipeline}: the low-res image, noised to {@code
 * noise_level} by the low-res scheduler, is concatenated to the latents (which have the low-res
 * size) as UNet input, with the noise level as class label; the 3-level VAE decodes the latents
 * at 4× the size. Draw order: the low-res noise first, then the latents (unless given). Large
 * images run tile by tile ({@link io.fijigen.engine.model.Tiling}), UNet and decoder alike; the
 * draws are those of the untiled run, so a seed gives the same noise whatever the tiling.
 */
public final class Upscale {
    /** The largest side of a result, as of any image the engine holds whole. */
    private static final int MAX_SIDE = (int) RequestField.IMAGE_SIDE.range().max();

    private Upscale() {}

    public static GenerationResult generate(StableDiffusion model, UpscaleRequest request, StepListener listener) {
        SchedulerConfig lowRes = model.lowResScheduler();
        if (lowRes == null || model.unet().config().numClassEmbeds() == null) {
            throw new InvalidRequestException("model", model.name() + " is not an x4 upscaler (no low_res_scheduler"
                    + " or no noise-level class embeddings)");
        }
        int factor = model.vae().config().downscale();
        checkImage(request.image(), factor);
        // The table leaves the upper end to the model: its max_noise_level.
        UpscaleRequest.noiseLevels(model.index().maxNoiseLevel()).check("noise_level", request.noiseLevel());
        // The reference rounds the image down to the VAE's multiple (4); the job checks that size.
        long height = request.image().dim(2) - request.image().dim(2) % factor;
        long width = request.image().dim(3) - request.image().dim(3) % factor;
        GenerationRequest generation = request.generation().toBuilder()
                .size((int) width, (int) height)
                .initImage(null, 1.0)
                .build();
        try (DiffusionJob job = DiffusionJob.start(model, generation, request.tiling())) {
            NDManager manager = job.manager();
            NDArray image = ImagePreprocessor.toModelInput(request.image(), factor, manager);
            NDArray noise = job.noise().randn(image.getShape(), manager);
            NDArray noised = addNoise(NoiseSchedule.of(lowRes), image, noise, request.noiseLevel());
            int images = generation.numImages();
            int copies = (job.guided() ? 2 : 1) * images;
            NDArray lowResInput = noised.repeat(0, copies);
            long[] labels = new long[copies];
            Arrays.fill(labels, request.noiseLevel());
            Shape shape = new Shape(images, model.vae().config().latentChannels(), height, width);
            NDArray latents;
            if (generation.latents() != null) {
                RequestLimits.checkLatents(generation.latents(), shape.getShape());
                latents = generation.latents().toNDArray(manager);
            } else {
                latents = job.noise().randn(shape, manager);
            }
            NDArray scaled = latents.mul(job.scheduler().initNoiseSigma());
            StepStrategy strategy = new LowResConditioning(lowResInput, manager.create(labels));
            GenerationResult result = job.finish(job.denoise(scaled, 0, strategy, listener), listener);
            if (request.factor() == UpscaleRequest.MODEL_FACTOR) {
                return result;
            }
            HostTensor resized = lanczos(result.images(), request.image(), request.factor());
            return new GenerationResult(resized, result.seed(), result.request(), result.model(), result.schedulerName());
        }
    }

    /** The steps its loop runs, what a listener is told as their total. */
    public static int steps(StableDiffusion model, UpscaleRequest request) {
        return Txt2Img.steps(model, request.generation());
    }

    /**
     * The result's {height, width} for {@code model} (null: Lanczos alone): the model's 4× of the
     * image rounded down to its VAE's multiple, as {@link #generate} draws it, or the factor's by Lanczos.
     */
    public static int[] resultSize(StableDiffusion model, UpscaleRequest request) {
        HostTensor image = request.image();
        if (model == null || request.factor() != UpscaleRequest.MODEL_FACTOR) {
            return new int[] {lanczosSide(image.dim(2), request.factor()), lanczosSide(image.dim(3), request.factor())};
        }
        int factor = model.vae().config().downscale();
        return new int[] {(int) (image.dim(2) - image.dim(2) % factor) * factor,
            (int) (image.dim(3) - image.dim(3) % factor) * factor};
    }

    /**
     * Plain Lanczos resampling of {@code source} (NHWC) to {@code factor} times {@code input}'s
     * size (NCHW): the fast path without a model, and the last step for factors other than 4.
     */
    public static HostTensor lanczos(HostTensor source, HostTensor input, double factor) {
        UpscaleRequest.checkFactor(factor);
        int height = lanczosSide(input.dim(2), factor);
        int width = lanczosSide(input.dim(3), factor);
        if (height > MAX_SIDE || width > MAX_SIDE) {
            throw new InvalidRequestException("factor", "upscaling " + input.dim(3) + "x" + input.dim(2) + " by "
                    + factor + " would exceed " + MAX_SIDE + " pixels a side");
        }
        return Layouts.nchwToNhwc(ImageResize.lanczos(Layouts.nhwcToNchw(source), height, width));
    }

    private static int lanczosSide(long side, double factor) {
        return (int) Math.max(1, Math.round(side * factor));
    }

    /** The DDPM forward process at training timestep {@code t}, in float32 as the reference computes it. */
    private static NDArray addNoise(NoiseSchedule schedule, NDArray image, NDArray noise, int t) {
        float alphaCumprod = schedule.alphaCumprod(t);
        float signal = (float) Math.sqrt(alphaCumprod);
        float noiseScale = (float) Math.sqrt(1f - alphaCumprod);
        return image.mul(signal).add(noise.mul(noiseScale));
    }

    private static void checkImage(HostTensor image, int multiple) {
        long[] shape = image.shape();
        if (shape.length != 4 || shape[0] != 1 || shape[1] != 3) {
            throw new InvalidRequestException("image", "image must be [1, 3, H, W], got " + Arrays.toString(shape));
        }
        if (shape[2] < 8 || shape[3] < 8) {
            throw new InvalidRequestException("image", "image is " + shape[3] + "x" + shape[2]
                    + ", too small to upscale (at least 8x8)");
        }
        if (shape[2] * multiple > MAX_SIDE || shape[3] * multiple > MAX_SIDE) {
            throw new InvalidRequestException("image", "image is " + shape[3] + "x" + shape[2] + "; ×" + multiple
                    + " it would exceed " + MAX_SIDE + " pixels a side");
        }
    }

    /** The UNet sees the noised low-res image beside the latents, and the noise level as class label. */
    private record LowResConditioning(NDArray lowRes, NDArray labels) implements StepStrategy {
        @Override
        public NDArray unetInput(NDArray scaled, int index) {
            return scaled.concat(lowRes, 1);
        }

        @Override
        public NDArray classLabels() {
            return labels;
        }
    }
}
