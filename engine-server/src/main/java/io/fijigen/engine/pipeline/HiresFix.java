package io.fijigen.engine.pipeline;

import io.fijigen.engine.image.ImageResize;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.tensor.Layouts;

/**
 * The A1111 web UI's txt2img "Hires. fix": a first pass at the requested size, enlarged by the
 * request's {@link HiresUpscaler}, then a second pass at the larger size with the same prompts,
 * seed, scheduler, guidance and ControlNet units, its own steps and strength.
 *
 * <p>From an image (Lanczos, x4 model) the second pass is exactly the img2img of that image, so two
 * runs by hand give the same result. From latents it is img2img without the encode: the upscaled
 * latents are noised to where strength enters the schedule, as the web UI's {@code sample_img2img}
 * noises them, the forward noise the second job's first draw.
 *
 * <p>The passes report their steps as one job's ({@link PassProgress}): the first pass's, each image's
 * x4 upscale's, then the second pass's, to one total known before the first step.
 */
public final class HiresFix {
    /** The x4 upscaler's default noise level (diffusers' {@code StableDiffusionUpscalePipeline}). */
    private static final int X4_NOISE_LEVEL = RequestField.NOISE_LEVEL.defaultInt();

    private HiresFix() {}

    public static GenerationResult generate(StableDiffusion model, GenerationRequest request, StepListener listener) {
        // One seed for both passes, drawn here when the request asks for a random one.
        GenerationRequest seeded = request.toBuilder().seed(DiffusionJob.seedOf(request)).build();
        HiresOptions hires = seeded.hires();
        GenerationRequest first = seeded.toBuilder().hires(null).safetyChecker(null).build();
        GenerationRequest pass = secondPass(first, hires);
        StepListener progress = new PassProgress(listener, steps(model, first, hires, pass));
        GenerationResult second;
        if (hires.upscaler() instanceof HiresUpscaler.Latent latent) {
            HostTensor latents = Txt2Img.latents(model, first, progress);
            int factor = model.vae().config().downscale();
            HostTensor enlarged = latent.nearest()
                    ? ImageResize.nearest(latents, pass.height() / factor, pass.width() / factor)
                    : ImageResize.bilinear(latents, pass.height() / factor, pass.width() / factor);
            try (DiffusionJob job = DiffusionJob.start(model, pass)) {
                second = Img2Img.denoiseFrom(job, pass, enlarged.toNDArray(job.manager()), progress);
            }
        } else {
            HostTensor images = Layouts.nhwcToNchw(Txt2Img.generate(model, first, progress).images());
            HostTensor enlarged = enlarge(images, first, hires, progress);
            second = Img2Img.generate(model, pass.toBuilder().initImage(enlarged, hires.strength()).build(), progress);
        }
        return new GenerationResult(second.images(), second.seed(), seeded, second.model(), second.schedulerName());
    }

    /**
     * The job's steps, counted on across its passes: the first pass's, each image's x4 upscale's (if the
     * x4 model enlarges), then the second pass's, those its strength leaves.
     */
    private static int steps(StableDiffusion model, GenerationRequest first, HiresOptions hires,
            GenerationRequest second) {
        int upscales = hires.upscaler() instanceof HiresUpscaler.X4 x4
                ? first.numImages() * Txt2Img.steps(x4.model(), x4Settings(first, x4)) : 0;
        return Txt2Img.steps(model, first) + upscales + Img2Img.steps(model, second);
    }

    /**
     * The second pass: the first's request at the larger size, its regions' masks enlarged with it,
     * without an init image (the image upscalers add theirs; the latent ones start from latents).
     */
    private static GenerationRequest secondPass(GenerationRequest first, HiresOptions hires) {
        int width = hires.side(first.width());
        int height = hires.side(first.height());
        GenerationRequest.Builder pass = first.toBuilder()
                .latents(null)
                .steps(hires.steps(first.steps()))
                .size(width, height)
                .initImage(null, hires.strength())
                .withoutRegions();
        for (RegionPrompt region : first.regions()) {
            pass.region(new RegionPrompt(ImageResize.bilinear(region.mask(), height, width), region.prompt(),
                    region.weight()));
        }
        return pass.build();
    }

    /** The x4 model's pass: its own steps, guidance and scheduler, the first pass's prompts and seed. */
    private static GenerationRequest x4Settings(GenerationRequest first, HiresUpscaler.X4 x4) {
        return GenerationRequest.builder(first.prompt())
                .negativePrompt(first.negativePrompt())
                .steps(x4.steps())
                .guidance(x4.guidance())
                .scheduler(x4.scheduler().name())
                .timestepSpacing(x4.scheduler().timestepSpacing())
                .eta(x4.scheduler().eta())
                .seed(first.seed())
                .build();
    }

    /** The first pass's images [N, 3, H, W] at the second pass's size, by Lanczos or the x4 model image by image. */
    private static HostTensor enlarge(HostTensor images, GenerationRequest first, HiresOptions hires,
            StepListener listener) {
        int height = hires.side(first.height());
        int width = hires.side(first.width());
        if (!(hires.upscaler() instanceof HiresUpscaler.X4 x4)) {
            return ImageResize.lanczos(images, height, width);
        }
        GenerationRequest settings = x4Settings(first, x4);
        HostTensor[] upscaled = new HostTensor[(int) images.dim(0)];
        for (int i = 0; i < upscaled.length; i++) {
            UpscaleRequest upscale = new UpscaleRequest(settings, Layouts.batchEntry(images, i), X4_NOISE_LEVEL,
                    UpscaleRequest.DEFAULT_TILING);
            HostTensor x4Image = Layouts.nhwcToNchw(Upscale.generate(x4.model(), upscale, listener).images());
            boolean sized = x4Image.dim(2) == height && x4Image.dim(3) == width;
            upscaled[i] = sized ? x4Image : ImageResize.lanczos(x4Image, height, width);
        }
        return Layouts.stack(upscaled);
    }
}
