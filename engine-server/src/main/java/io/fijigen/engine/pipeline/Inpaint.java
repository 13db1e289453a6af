package io.fijigen.engine.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.nn.Ops;
import io.fijigen.engine.schedule.Scheduler;

/**
 * The reference's {@code StableDiffusionInpaintPipeline}, for both kinds of model: a 9-channel
 * inpainting UNet sees the mask and the masked image's latents beside the latents; any 4-channel
 * model gets the known region blended back after every step (the init latents noised with the
 * job's initial noise to the next timestep). The pipeline returns the decoded image as the
 * reference does; pasting into the original is the caller's choice.
 *
 * <p>Draw order from the job's generator, as the reference: the init image's latent sample (when
 * needed: 4-channel model, or strength below 1 without given latents), the initial noise (unless
 * latents are given), then the masked image's latent sample.
 */
public final class Inpaint {
    private Inpaint() {}

    public static GenerationResult generate(StableDiffusion model, GenerationRequest request, StepListener listener) {
        int channels = model.unet().config().inChannels();
        if (channels != 9 && channels != 4) {
            throw new InvalidRequestException("model", "inpainting needs a 4- or 9-channel UNet, this one takes "
                    + channels + " channels");
        }
        try (DiffusionJob job = DiffusionJob.start(model, request)) {
            NDManager manager = job.manager();
            Scheduler scheduler = job.scheduler();
            int factor = model.vae().config().downscale();
            boolean nineChannels = channels == 9;
            boolean strengthMax = request.strength() == 1.0;
            int startIndex = Img2Img.startIndex(request.steps(), request.strength(), scheduler.order());
            int images = request.numImages();

            NDArray image = ImagePreprocessor.toModelInput(request.initImage(), factor, manager);
            // The reference binarises the mask at 0.5 before anything else (mask_processor do_binarize).
            NDArray mask = request.mask().toNDArray(manager).gte(0.5f).toType(image.getDataType(), false);
            long height = image.getShape().get(2);
            long width = image.getShape().get(3);
            Shape latentShape = new Shape(images, 4, height / factor, width / factor);

            NDArray imageLatents = null;
            if (!nineChannels || (request.latents() == null && !strengthMax)) {
                imageLatents = job.batch(job.encodeLatents(image), images);
            }
            NDArray noise;
            NDArray latents;
            if (request.latents() != null) {
                RequestLimits.checkLatents(request.latents(), latentShape.getShape());
                noise = request.latents().toNDArray(manager);
                latents = noise.mul(scheduler.initNoiseSigma());
            } else {
                noise = job.noise().randn(latentShape, manager);
                latents = strengthMax
                        ? noise.mul(scheduler.initNoiseSigma())
                        : scheduler.addNoise(imageLatents, noise, startIndex);
            }
            NDArray maskLatents = job.batch(Ops.upsampleNearest(mask, height / factor, width / factor), images);
            StepStrategy strategy;
            if (nineChannels) {
                NDArray maskedImage = image.mul(mask.lt(0.5f).toType(image.getDataType(), false));
                NDArray maskedLatents = job.batch(job.encodeLatents(maskedImage), images);
                strategy = new InpaintChannels(maskLatents, maskedLatents, job.guided());
            } else {
                // The reference encodes the masked image here too, unused by a 4-channel UNet; only its
                // draw matters, for the generator state.
                job.noise().randn(new Shape(1, 4, height / factor, width / factor), manager).close();
                strategy = new LatentBlend(scheduler, imageLatents, noise, maskLatents);
            }
            return job.finish(job.denoise(latents, startIndex, strategy, listener), listener);
        }
    }

    /** 9-channel UNet input: {@code [latents, mask, masked-image latents]}, both guidance halves alike. */
    private static final class InpaintChannels implements StepStrategy {
        private final NDArray extra;

        InpaintChannels(NDArray mask, NDArray maskedLatents, boolean guided) {
            NDArray both = mask.concat(maskedLatents, 1);
            if (guided) {
                this.extra = both.concat(both, 0);
                both.close();
            } else {
                this.extra = both;
            }
        }

        @Override
        public NDArray unetInput(NDArray scaled, int index) {
            return scaled.concat(extra, 1);
        }
    }

    /** 4-channel inpainting: after each step, the known region is the init latents noised to the next timestep. */
    private static final class LatentBlend implements StepStrategy {
        private final Scheduler scheduler;
        private final NDArray imageLatents;
        private final NDArray noise;
        private final NDArray mask;
        private final NDArray keep;
        private final int last;

        LatentBlend(Scheduler scheduler, NDArray imageLatents, NDArray noise, NDArray mask) {
            this.scheduler = scheduler;
            this.imageLatents = imageLatents;
            this.noise = noise;
            this.mask = mask;
            this.keep = mask.neg().add(1f);
            this.last = scheduler.timesteps().length - 1;
        }

        @Override
        public NDArray afterStep(NDArray latents, int index) {
            return Ops.scoped(latents, () -> {
                NDArray known = index < last ? scheduler.addNoise(imageLatents, noise, index + 1) : imageLatents;
                NDArray blended = keep.mul(known);
                blended.attach(latents.getManager());
                return blended.add(mask.mul(latents));
            });
        }
    }
}
