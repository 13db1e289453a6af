package io.fijigen.engine.pipeline;

import io.fijigen.engine.schedule.SchedulerKind;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.weights.LoraWeight;
import java.util.List;
import java.util.Optional;

/**
 * What a generation returns.
 *
 * @param images [N, H, W, 3] in [0, 1] (the reference's {@code output_type="np"})
 * @param seed the seed actually used (drawn when the request said −1)
 * @param request the request as run, with that seed
 * @param model the model's name
 * @param schedulerName the scheduler that ran, by its CLI name
 * @param flagged after a safety check, one entry per image: true where the checker flagged it
 *     (and the image is black); empty when no check ran
 */
public record GenerationResult(HostTensor images, long seed, GenerationRequest request, String model,
        String schedulerName, List<Boolean> flagged) {

    public GenerationResult {
        flagged = List.copyOf(flagged);
    }

    /** A result no safety checker has seen. */
    public GenerationResult(HostTensor images, long seed, GenerationRequest request, String model,
            String schedulerName) {
        this(images, seed, request, model, schedulerName, List.of());
    }

    /** This result after a safety check: its images as the checker left them, and its verdicts. */
    public GenerationResult checked(HostTensor checkedImages, List<Boolean> verdicts) {
        return new GenerationResult(checkedImages, seed, request, model, schedulerName, verdicts);
    }

    /**
     * The generation parameters in the form web UIs write into PNGs and read back:
     * prompt (with its LoRAs as {@code <lora:name:weight>} tags), "Negative prompt: …", then "Steps: …, Sampler: …, CFG scale: …, Seed: …, Size: …,
     * Model hash: …, Model: …". Size is the size generated, as the web UI records it: for "only masked" inpainting,
     * the size the crop was generated at, not that of the whole image it was pasted back into; after a hires fix,
     * the first pass's, followed by "Hires upscale: …, Hires steps: …, Hires upscaler: …"; regional prompts
     * last, as {@code Region 1: "a red apple @1.5"}.
     *
     * @param modelHash the model file's short hash, written where web UIs write it; empty: none
     */
    public String parameters(Optional<String> modelHash) {
        StringBuilder text = new StringBuilder(request.prompt());
        for (LoraWeight lora : request.loras()) {
            text.append(" <lora:").append(lora.name()).append(':')
                    .append(FieldRange.number(lora.textEncoderWeight()));
            if (lora.unetWeight() != lora.textEncoderWeight()) {
                text.append(':').append(FieldRange.number(lora.unetWeight()));
            }
            text.append('>');
        }
        if (request.negativePrompt() != null && !request.negativePrompt().isEmpty()) {
            text.append("\nNegative prompt: ").append(request.negativePrompt());
        }
        text.append("\nSteps: ").append(request.steps())
                .append(", Sampler: ").append(SchedulerKind.named(schedulerName).displayName())
                .append(", CFG scale: ").append(FieldRange.number(request.guidance()))
                .append(", Seed: ").append(seed)
                .append(", Size: ").append(generatedSize());
        modelHash.ifPresent(hash -> text.append(", Model hash: ").append(hash));
        text.append(", Model: ").append(model);
        if (request.isImg2Img() || request.hires() != null) {
            double strength = request.hires() != null ? request.hires().strength() : request.strength();
            text.append(", Denoising strength: ").append(FieldRange.number(strength));
        }
        if (request.clipSkip() > 1) {
            text.append(", Clip skip: ").append(request.clipSkip());
        }
        if (request.hires() != null) {
            text.append(request.hires().parameters());
        }
        for (int r = 0; r < request.regions().size(); r++) {
            RegionPrompt region = request.regions().get(r);
            // Quoted as the web UI quotes a value with commas; the mask itself is not recorded.
            text.append(", Region ").append(r + 1).append(": \"")
                    .append(region.prompt().replace("\\", "\\\\").replace("\"", "\\\""))
                    .append(" @").append(FieldRange.number(region.weight())).append('"');
        }
        return text.toString();
    }

    private String generatedSize() {
        boolean pastedBack = request.isInpaint() && request.inpaintOptions().onlyMasked()
                && request.inpaintOptions().pasteBack();
        // The web UI's Size after a hires fix is the first pass's; "Hires upscale" tells the rest.
        return pastedBack || request.hires() != null ? request.width() + "x" + request.height()
                : images.dim(2) + "x" + images.dim(1);
    }
}
