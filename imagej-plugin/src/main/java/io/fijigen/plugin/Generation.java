package io.fijigen.plugin;

import io.fijigen.proto.v1.GenerateRequest;

/**
 * What every diffusion command asks for, whatever it starts from: its dialogs fill one.
 *
 * @param modelId the engine's model id, e.g. {@code sd15}; required
 * @param prompt what to draw; may be empty
 * @param negativePrompt what to steer away from; empty: none
 * @param steps denoising steps; 0: the model's default
 * @param guidance classifier-free guidance scale; null: the engine's default (7.5)
 * @param seed the seed, ≥ 0; null or -1: a random one (the result names it)
 * @param scheduler a scheduler name; empty: the model's own
 * @param images how many variants, 1..16: more than one become a stack in a new window
 * @param previewEvery a live preview layer every N steps; 0: none
 * @param statistics with several images, also their per-pixel statistics ({@link SeedStatistics})
 */
public record Generation(
        String modelId,
        String prompt,
        String negativePrompt,
        int steps,
        Double guidance,
        Long seed,
        String scheduler,
        int images,
        int previewEvery,
        boolean statistics) {

    /** The engine's limit on variants per job. */
    public static final int MAX_IMAGES = 16;

    public Generation {
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
        if (images < 1 || images > MAX_IMAGES) {
            throw new IllegalArgumentException("images: " + images + " is outside 1.." + MAX_IMAGES);
        }
        if (previewEvery < 0) {
            throw new IllegalArgumentException("preview every: " + previewEvery + " must be ≥ 0 steps (0: none)");
        }
        if (statistics && images < SeedStatistics.MIN_VARIANTS) {
            throw new IllegalArgumentException("statistics are computed over several images: set Images to "
                    + SeedStatistics.MIN_VARIANTS + " or more");
        }
    }

    /** One image with the engine's and the model's defaults. */
    public static Generation of(String modelId, String prompt) {
        return new Generation(modelId, prompt, "", 0, null, null, "", 1, 0, false);
    }

    public Generation withSteps(int newSteps) {
        return new Generation(modelId, prompt, negativePrompt, newSteps, guidance, seed, scheduler, images,
                previewEvery, statistics);
    }

    public Generation withSeed(long newSeed) {
        return new Generation(modelId, prompt, negativePrompt, steps, guidance, newSeed, scheduler, images,
                previewEvery, statistics);
    }

    public Generation withImages(int newImages) {
        return new Generation(modelId, prompt, negativePrompt, steps, guidance, seed, scheduler, newImages,
                previewEvery, statistics);
    }

    public Generation withStatistics(boolean newStatistics) {
        return new Generation(modelId, prompt, negativePrompt, steps, guidance, seed, scheduler, images, previewEvery,
                newStatistics);
    }

    public Generation withPreviewEvery(int newPreviewEvery) {
        return new Generation(modelId, prompt, negativePrompt, steps, guidance, seed, scheduler, images,
                newPreviewEvery, statistics);
    }

    /** A request with these settings; the caller adds what its command starts from. */
    public GenerateRequest.Builder request() {
        GenerateRequest.Builder request = GenerateRequest.newBuilder()
                .setModelId(modelId)
                .setPrompt(prompt)
                .setSteps(steps)
                .setScheduler(scheduler)
                .setNumImages(images)
                .setPreviewEvery(previewEvery);
        // An empty field is no negative prompt, which SDXL models answer with zeros (diffusers' None).
        if (!negativePrompt.isEmpty()) {
            request.setNegativePrompt(negativePrompt);
        }
        if (seed != null && seed >= 0) {
            request.setSeed(seed);
        }
        if (guidance != null) {
            request.setGuidance(guidance);
        }
        return request;
    }
}
