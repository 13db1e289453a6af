package io.fijigen.plugin;

/**
 * What the "Generate..." command asks for: its dialog fills one, {@link GenerateAction} runs it.
 *
 * @param modelId the engine's model id, e.g. {@code sd15}; required
 * @param prompt what to draw; may be empty
 * @param negativePrompt what to steer away from; empty: none
 * @param steps denoising steps; 0: the model's default
 * @param guidance classifier-free guidance scale; null: the engine's default (7.5)
 * @param seed the seed, ≥ 0; null or -1: a random one (the result names it)
 * @param scheduler a scheduler name; empty: the model's own
 * @param width image width (multiple of 8); 0: the init image's, else the model's default
 * @param height image height (multiple of 8); 0: as width
 * @param strength img2img strength in (0, 1]; null: the engine's default (0.8)
 * @param useActiveImage img2img from the active image instead of txt2img
 */
public record GenerateOptions(
        String modelId,
        String prompt,
        String negativePrompt,
        int steps,
        Double guidance,
        Long seed,
        String scheduler,
        int width,
        int height,
        Double strength,
        boolean useActiveImage) {

    public GenerateOptions {
        if (modelId == null || modelId.isBlank()) {
            throw new IllegalArgumentException("choose a model");
        }
        prompt = prompt == null ? "" : prompt;
        negativePrompt = negativePrompt == null ? "" : negativePrompt;
        scheduler = scheduler == null ? "" : scheduler.strip();
        if (steps < 0) {
            throw new IllegalArgumentException("steps: " + steps + " must be ≥ 0 (0: the model's default)");
        }
        if (seed != null && seed < -1) {
            throw new IllegalArgumentException("seed: " + seed + " must be ≥ 0, or -1 for a random one");
        }
    }

    /** txt2img with the engine's and the model's defaults. */
    public static GenerateOptions txt2img(String modelId, String prompt) {
        return new GenerateOptions(modelId, prompt, "", 0, null, null, "", 0, 0, null, false);
    }

    /** img2img from the active image with the engine's and the model's defaults. */
    public static GenerateOptions img2img(String modelId, String prompt) {
        return new GenerateOptions(modelId, prompt, "", 0, null, null, "", 0, 0, null, true);
    }

    public GenerateOptions withSteps(int newSteps) {
        return new GenerateOptions(modelId, prompt, negativePrompt, newSteps, guidance, seed, scheduler,
                width, height, strength, useActiveImage);
    }

    public GenerateOptions withSeed(long newSeed) {
        return new GenerateOptions(modelId, prompt, negativePrompt, steps, guidance, newSeed, scheduler,
                width, height, strength, useActiveImage);
    }

    public GenerateOptions withSize(int newWidth, int newHeight) {
        return new GenerateOptions(modelId, prompt, negativePrompt, steps, guidance, seed, scheduler,
                newWidth, newHeight, strength, useActiveImage);
    }

    public GenerateOptions withStrength(double newStrength) {
        return new GenerateOptions(modelId, prompt, negativePrompt, steps, guidance, seed, scheduler,
                width, height, newStrength, useActiveImage);
    }
}
