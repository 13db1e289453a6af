package io.fijigen.engine.pipeline;

import io.fijigen.engine.schedule.SchedulerChoice;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.weights.LoraWeight;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * One generation job — txt2img, img2img or inpainting, optionally guided by ControlNets — in the
 * reference pipelines' terms.
 *
 * @param negativePrompt null when not given: SD 1.x/2.x encode the empty prompt, SDXL (with
 *     {@code force_zeros_for_empty_prompt}) takes zeros, as the reference does; "" is the empty prompt, encoded
 * @param guidance classifier-free guidance scale; at or below 1 the unconditional pass is skipped
 * @param scheduler one of the scheduler names, or null for the model's own scheduler
 * @param timestepSpacing "leading", "linspace" or "trailing" over the scheduler config's, or null for the config's
 * @param eta DDIM's and TCD's share of fresh noise per step; empty for the scheduler's default
 * @param seed the job's generator seed; −1 draws a random seed (reported in the result)
 * @param initImage img2img: [N, 3, H, W] in [0, 1], or null for txt2img
 * @param strength img2img: how much of the schedule to run, in (0, 1]
 * @param latents initial latents [numImages, 4, H/8, W/8] instead of drawing them, or null
 * @param clipSkip 1 uses the text encoder's last layer, 2 the penultimate (as web UIs count)
 * @param mask inpainting: [1, 1, H, W] in [0, 1] at the init image's size, 1 = repaint; null otherwise
 * @param inpaintOptions how the mask is prepared and the result pasted back (editor inpainting)
 * @param controls ControlNet units guiding the generation, empty for none
 * @param loras LoRAs merged into the model for this job, in order; empty for none
 * @param embeddings textual-inversion embedding files whose tokens the prompts may use; empty for none
 * @param safetyChecker checks the finished images (flagged ones become black), or null for no check
 * @param microConditioning SDXL's size conditioning ({@link MicroConditioning#DEFAULT} for none given)
 * @param hires txt2img: the hires fix's second pass, or null for none
 * @param outpaint outpainting: the init image grown and its new border painted; null otherwise
 * @param regions regional prompts mixed into the conditional half's cross-attention; empty for none
 */
public record GenerationRequest(
        String prompt,
        String negativePrompt,
        int steps,
        double guidance,
        int width,
        int height,
        String scheduler,
        String timestepSpacing,
        OptionalDouble eta,
        long seed,
        int numImages,
        HostTensor initImage,
        double strength,
        HostTensor latents,
        int clipSkip,
        HostTensor mask,
        InpaintOptions inpaintOptions,
        List<ControlUnit> controls,
        List<LoraWeight> loras,
        List<Path> embeddings,
        SafetyChecker safetyChecker,
        MicroConditioning microConditioning,
        HiresOptions hires,
        Outpaint outpaint,
        List<RegionPrompt> regions) {

    public static final long RANDOM_SEED = -1;

    /** A request with the reference pipeline's defaults for everything but the prompt. */
    public static Builder builder(String prompt) {
        return new Builder(prompt);
    }

    public GenerationRequest {
        controls = List.copyOf(controls);
        loras = List.copyOf(loras);
        embeddings = List.copyOf(embeddings);
        regions = List.copyOf(regions);
    }

    public boolean isImg2Img() {
        return initImage != null;
    }

    public boolean isInpaint() {
        return mask != null;
    }

    public boolean isOutpaint() {
        return outpaint != null;
    }

    /** What the job asks of its scheduler. */
    public SchedulerChoice schedulerChoice() {
        return new SchedulerChoice(scheduler, timestepSpacing, eta);
    }

    /** A builder holding this request's values, to derive a request that differs in a few. */
    public Builder toBuilder() {
        Builder builder = new Builder(prompt)
                .negativePrompt(negativePrompt)
                .steps(steps)
                .guidance(guidance)
                .size(width, height)
                .scheduler(scheduler)
                .timestepSpacing(timestepSpacing)
                .eta(eta)
                .seed(seed)
                .numImages(numImages)
                .initImage(initImage, strength)
                .latents(latents)
                .clipSkip(clipSkip)
                .mask(mask)
                .inpaintOptions(inpaintOptions)
                .safetyChecker(safetyChecker)
                .microConditioning(microConditioning)
                .hires(hires)
                .outpaint(outpaint);
        controls.forEach(builder::control);
        loras.forEach(builder::lora);
        embeddings.forEach(builder::embedding);
        regions.forEach(builder::region);
        return builder;
    }

    /** Builds requests; defaults are the reference pipeline's (50 steps, guidance 7.5, 512², random seed). */
    public static final class Builder {
        private final String prompt;
        private String negativePrompt;
        private int steps = 50;
        private double guidance = 7.5;
        private int width = 512;
        private int height = 512;
        private String scheduler;
        private String timestepSpacing;
        private OptionalDouble eta = OptionalDouble.empty();
        private long seed = RANDOM_SEED;
        private int numImages = 1;
        private HostTensor initImage;
        private double strength = 0.8;
        private HostTensor latents;
        private int clipSkip = 1;
        private HostTensor mask;
        private InpaintOptions inpaintOptions = InpaintOptions.DEFAULT;
        private final List<ControlUnit> controls = new ArrayList<>();
        private final List<LoraWeight> loras = new ArrayList<>();
        private final List<Path> embeddings = new ArrayList<>();
        private SafetyChecker safetyChecker;
        private MicroConditioning microConditioning = MicroConditioning.DEFAULT;
        private HiresOptions hires;
        private Outpaint outpaint;
        private final List<RegionPrompt> regions = new ArrayList<>();

        private Builder(String prompt) {
            this.prompt = prompt;
        }

        public Builder negativePrompt(String value) {
            negativePrompt = value;
            return this;
        }

        public Builder steps(int value) {
            steps = value;
            return this;
        }

        public Builder guidance(double value) {
            guidance = value;
            return this;
        }

        public Builder size(int newWidth, int newHeight) {
            width = newWidth;
            height = newHeight;
            return this;
        }

        public Builder scheduler(String value) {
            scheduler = value;
            return this;
        }

        /** "leading", "linspace" or "trailing"; null (the default) keeps the scheduler config's. */
        public Builder timestepSpacing(String value) {
            timestepSpacing = value;
            return this;
        }

        /** DDIM's and TCD's eta; empty (the default) gives the scheduler's own (0 for DDIM, 0.3 for TCD). */
        public Builder eta(OptionalDouble value) {
            eta = value;
            return this;
        }

        public Builder eta(double value) {
            return eta(OptionalDouble.of(value));
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder numImages(int value) {
            numImages = value;
            return this;
        }

        /** img2img: the image to start from and how much of the schedule to run (the reference's default is 0.8). */
        public Builder initImage(HostTensor image, double value) {
            initImage = image;
            strength = value;
            return this;
        }

        public Builder latents(HostTensor value) {
            latents = value;
            return this;
        }

        public Builder clipSkip(int value) {
            clipSkip = value;
            return this;
        }

        /** Inpainting: the region to repaint (1) of the init image, [1, 1, H, W]. */
        public Builder mask(HostTensor value) {
            mask = value;
            return this;
        }

        public Builder inpaintOptions(InpaintOptions value) {
            inpaintOptions = value;
            return this;
        }

        /** No ControlNet units (then {@link #control} adds new ones). */
        public Builder withoutControls() {
            controls.clear();
            return this;
        }

        public Builder control(ControlUnit unit) {
            controls.add(unit);
            return this;
        }

        public Builder lora(LoraWeight lora) {
            loras.add(lora);
            return this;
        }

        /** A textual-inversion embedding file ({@code .safetensors}). */
        public Builder embedding(Path file) {
            embeddings.add(file);
            return this;
        }

        /** Checks the finished images with this safety checker; null (the default) checks nothing. */
        public Builder safetyChecker(SafetyChecker value) {
            safetyChecker = value;
            return this;
        }

        public Builder microConditioning(MicroConditioning value) {
            microConditioning = value;
            return this;
        }

        public Builder hires(HiresOptions value) {
            hires = value;
            return this;
        }

        /** Outpainting of the init image: how its canvas grows; null (the default) for none. */
        public Builder outpaint(Outpaint value) {
            outpaint = value;
            return this;
        }

        /** No regional prompts (then {@link #region} adds new ones). */
        public Builder withoutRegions() {
            regions.clear();
            return this;
        }

        /** A regional prompt (after any given before). */
        public Builder region(RegionPrompt value) {
            regions.add(value);
            return this;
        }

        public GenerationRequest build() {
            return new GenerationRequest(prompt, negativePrompt, steps, guidance, width, height, scheduler,
                    timestepSpacing, eta, seed,
                    numImages, initImage, strength, latents, clipSkip, mask, inpaintOptions, controls, loras,
                    embeddings, safetyChecker, microConditioning, hires, outpaint, regions);
        }
    }
}
