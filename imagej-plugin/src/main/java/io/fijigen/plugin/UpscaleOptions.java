package io.fijigen.plugin;

import io.fijigen.plugin.ui.GreyOptions;

/**
 * What "Upscale x4..." asks for.
 *
 * @param modelId the engine's x4 upscaler model id; required
 * @param prompt what the image shows (helps the details); may be empty
 * @param negativePrompt what to steer away from; empty: none
 * @param steps denoising steps; 0: the model's default
 * @param guidance classifier-free guidance scale; null: the engine's default (9)
 * @param seed the seed, ≥ 0; null or -1: a random one
 * @param noiseLevel noise added to the image first, 0..350: more invents more detail; null: 20
 * @param grey how a grey or composite image is sent; null: {@link GreyOptions#DEFAULT}
 */
public record UpscaleOptions(
        String modelId, String prompt, String negativePrompt, int steps, Double guidance, Long seed,
        Integer noiseLevel, GreyOptions grey) {

    public UpscaleOptions {
        if (modelId == null || modelId.isBlank()) {
            throw new IllegalArgumentException("choose an upscaler model");
        }
        prompt = prompt == null ? "" : prompt;
        negativePrompt = negativePrompt == null ? "" : negativePrompt;
        if (steps < 0) {
            throw new IllegalArgumentException("steps: " + steps + " must be ≥ 0 (0: the model's default)");
        }
        if (seed != null && seed < -1) {
            throw new IllegalArgumentException("seed: " + seed + " must be ≥ 0, or -1 for a random one");
        }
        if (noiseLevel != null && noiseLevel < 0) {
            throw new IllegalArgumentException("noise level: " + noiseLevel + " must be ≥ 0");
        }
        grey = grey == null ? GreyOptions.DEFAULT : grey;
    }

    /** The engine's and the model's defaults. */
    public static UpscaleOptions of(String modelId, String prompt) {
        return new UpscaleOptions(modelId, prompt, "", 0, null, null, null, GreyOptions.DEFAULT);
    }

    public UpscaleOptions withSteps(int newSteps) {
        return new UpscaleOptions(modelId, prompt, negativePrompt, newSteps, guidance, seed, noiseLevel, grey);
    }

    public UpscaleOptions withSeed(long newSeed) {
        return new UpscaleOptions(modelId, prompt, negativePrompt, steps, guidance, newSeed, noiseLevel, grey);
    }

    public UpscaleOptions withGrey(GreyOptions newGrey) {
        return new UpscaleOptions(modelId, prompt, negativePrompt, steps, guidance, seed, noiseLevel, newGrey);
    }
}
