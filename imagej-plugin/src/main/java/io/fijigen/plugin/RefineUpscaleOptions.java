package io.fijigen.plugin;

import io.fijigen.plugin.ui.GreyOptions;

/**
 * What "Refine Upscale..." asks for: enlarge by {@code factor} (Lanczos), then img2img tile by tile.
 *
 * @param modelId the Stable Diffusion model that repaints the tiles; required
 * @param controlNetId the tile ControlNet guiding each tile by its own pixels; empty: none
 * @param factor output size as a multiple of the input's, in (0, 8]
 * @param strength the share of each tile's schedule that runs, in (0, 1]; null: the engine's 0.35
 * @param tile tile side in output pixels; 0: the model's native size
 * @param overlap overlap of neighbouring tiles in output pixels; null: a quarter of the tile
 * @param prompt what the image shows; may be empty
 * @param negativePrompt what to steer away from; empty: none
 * @param steps denoising steps of each tile; 0: the model's default
 * @param guidance classifier-free guidance scale; null: the model's default
 * @param seed the seed of the first tile (tile k gets seed + k), ≥ 0; null or -1: a random one
 * @param grey how a grey or composite image is sent; null: {@link GreyOptions#DEFAULT}
 */
public record RefineUpscaleOptions(String modelId, String controlNetId, double factor, Double strength, int tile,
        Integer overlap, String prompt, String negativePrompt, int steps, Double guidance, Long seed,
        GreyOptions grey) {
    /** The ControlNet choice that means none. */
    public static final String NO_CONTROLNET = "none";

    public RefineUpscaleOptions {
        if (modelId == null || modelId.isBlank()) {
            throw new IllegalArgumentException("choose a Stable Diffusion model to refine with");
        }
        controlNetId = controlNetId == null || controlNetId.equals(NO_CONTROLNET) ? "" : controlNetId;
        if (!(factor > 0 && factor <= 8)) {
            throw new IllegalArgumentException("factor: " + factor + " is outside (0, 8]");
        }
        if (tile < 0) {
            throw new IllegalArgumentException("tile: " + tile + " must be ≥ 0 (0: the model's native size)");
        }
        if (steps < 0) {
            throw new IllegalArgumentException("steps: " + steps + " must be ≥ 0 (0: the model's default)");
        }
        if (seed != null && seed < -1) {
            throw new IllegalArgumentException("seed: " + seed + " must be ≥ 0, or -1 for a random one");
        }
        prompt = prompt == null ? "" : prompt;
        negativePrompt = negativePrompt == null ? "" : negativePrompt;
        grey = grey == null ? GreyOptions.DEFAULT : grey;
    }

    /** A refine by {@code factor} on {@code modelId} with the engine's and the model's defaults. */
    public static RefineUpscaleOptions of(String modelId, String controlNetId, double factor, String prompt) {
        return new RefineUpscaleOptions(modelId, controlNetId, factor, null, 0, null, prompt, "", 0, null, null,
                GreyOptions.DEFAULT);
    }

    public RefineUpscaleOptions withTiles(int newTile, int newOverlap, int newSteps, long newSeed) {
        return new RefineUpscaleOptions(modelId, controlNetId, factor, strength, newTile, newOverlap, prompt,
                negativePrompt, newSteps, guidance, newSeed, grey);
    }

    public RefineUpscaleOptions withSeed(long newSeed) {
        return new RefineUpscaleOptions(modelId, controlNetId, factor, strength, tile, overlap, prompt, negativePrompt,
                steps, guidance, newSeed, grey);
    }
}
