package io.fijigen.plugin;

import io.fijigen.plugin.ui.GreyOptions;
import io.fijigen.proto.v1.Region;
import java.util.List;

/**
 * What the "Generate..." command asks for: its dialog fills one, {@link GenerateAction} runs it.
 *
 * @param generation the model, prompt and sampling settings
 * @param width image width (multiple of 8); 0: the init image's, else the model's default
 * @param height image height (multiple of 8); 0: as width
 * @param strength img2img strength in (0, 1]; null: the engine's default (0.8)
 * @param useActiveImage img2img from the active image instead of txt2img
 * @param grey how img2img sends a grey or composite image; null: {@link GreyOptions#DEFAULT}
 * @param hires txt2img's hires fix; null: none
 * @param regions regional prompts ({@link RoiRegions}), their masks at the generated image's size; empty: none
 */
public record GenerateOptions(Generation generation, int width, int height, Double strength, boolean useActiveImage,
        GreyOptions grey, HiresFix hires, List<Region> regions) {

    public GenerateOptions {
        if (generation == null) {
            throw new IllegalArgumentException("generation settings are required");
        }
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("size: " + width + "×" + height + " must not be negative (0: default)");
        }
        if (strength != null && !(strength > 0 && strength <= 1)) {
            throw new IllegalArgumentException("strength: " + strength + " is outside (0, 1]");
        }
        grey = grey == null ? GreyOptions.DEFAULT : grey;
        if (hires != null && useActiveImage) {
            throw new IllegalArgumentException("the hires fix is for txt2img, not img2img from the active image");
        }
        regions = List.copyOf(regions);
    }

    /** Options without regional prompts. */
    public GenerateOptions(Generation generation, int width, int height, Double strength, boolean useActiveImage,
            GreyOptions grey, HiresFix hires) {
        this(generation, width, height, strength, useActiveImage, grey, hires, List.of());
    }

    /** Options without the hires fix. */
    public GenerateOptions(Generation generation, int width, int height, Double strength, boolean useActiveImage,
            GreyOptions grey) {
        this(generation, width, height, strength, useActiveImage, grey, null);
    }

    /** txt2img with the engine's and the model's defaults. */
    public static GenerateOptions txt2img(String modelId, String prompt) {
        return new GenerateOptions(Generation.of(modelId, prompt), 0, 0, null, false, GreyOptions.DEFAULT);
    }

    /** img2img from the active image with the engine's and the model's defaults. */
    public static GenerateOptions img2img(String modelId, String prompt) {
        return new GenerateOptions(Generation.of(modelId, prompt), 0, 0, null, true, GreyOptions.DEFAULT);
    }

    public GenerateOptions with(Generation newGeneration) {
        return new GenerateOptions(newGeneration, width, height, strength, useActiveImage, grey, hires, regions);
    }

    public GenerateOptions withSteps(int steps) {
        return with(generation.withSteps(steps));
    }

    public GenerateOptions withSeed(long seed) {
        return with(generation.withSeed(seed));
    }

    public GenerateOptions withSize(int newWidth, int newHeight) {
        return new GenerateOptions(generation, newWidth, newHeight, strength, useActiveImage, grey, hires, regions);
    }

    public GenerateOptions withStrength(double newStrength) {
        return new GenerateOptions(generation, width, height, newStrength, useActiveImage, grey, hires, regions);
    }

    public GenerateOptions withGrey(GreyOptions newGrey) {
        return new GenerateOptions(generation, width, height, strength, useActiveImage, newGrey, hires, regions);
    }

    public GenerateOptions withHires(HiresFix newHires) {
        return new GenerateOptions(generation, width, height, strength, useActiveImage, grey, newHires, regions);
    }

    public GenerateOptions withRegions(List<Region> newRegions) {
        return new GenerateOptions(generation, width, height, strength, useActiveImage, grey, hires, newRegions);
    }
}
