package io.fijigen.engine.config;

import java.io.IOException;
import java.nio.file.Path;

/**
 * transformers' {@code CLIPImageProcessor} settings ({@code feature_extractor/preprocessor_config.json}):
 * resize the shortest side, centre-crop, rescale, normalise per channel. Older files (the one
 * published with SD 1.x) give {@code size} and {@code crop_size} as plain integers; newer ones as
 * {@code {"shortest_edge": N}} and {@code {"height": H, "width": W}}. Only the resampling the
 * published checkers use (bicubic) is implemented.
 */
public record ClipImageProcessorConfig(
        int shortestEdge, int cropHeight, int cropWidth, double rescaleFactor, double[] imageMean, double[] imageStd) {

    /** PIL's BICUBIC, as transformers' {@code resample} names it. */
    private static final int BICUBIC = 3;
    /** OpenAI CLIP's training statistics, transformers' defaults. */
    private static final double[] CLIP_MEAN = {0.48145466, 0.4578275, 0.40821073};
    private static final double[] CLIP_STD = {0.26862954, 0.26130258, 0.27577711};

    public static ClipImageProcessorConfig read(Path file) throws IOException {
        ConfigFile config = ConfigFile.read(file);
        for (String step : new String[] {"do_resize", "do_center_crop", "do_rescale", "do_normalize"}) {
            config.requireDefault(step, true);
        }
        config.requireDefault("resample", BICUBIC);
        int shortestEdge = config.isSection("size")
                ? positive(config.section("size"), "shortest_edge")
                : positive(config, "size");
        int cropHeight;
        int cropWidth;
        if (config.isSection("crop_size")) {
            ConfigFile crop = config.section("crop_size");
            cropHeight = positive(crop, "height");
            cropWidth = positive(crop, "width");
        } else {
            cropHeight = positive(config, "crop_size");
            cropWidth = cropHeight;
        }
        if (cropHeight > shortestEdge || cropWidth > shortestEdge) {
            throw config.invalid("crop_size", cropWidth + "×" + cropHeight + " is larger than the resized shortest side "
                    + shortestEdge + " (padding is not supported)");
        }
        return new ClipImageProcessorConfig(shortestEdge, cropHeight, cropWidth,
                config.doubleValue("rescale_factor", 1 / 255.0),
                perChannel(config, "image_mean", CLIP_MEAN), perChannel(config, "image_std", CLIP_STD));
    }

    private static int positive(ConfigFile config, String key) {
        if (!config.has(key)) {
            throw config.invalid(key, "is missing");
        }
        int value = config.intValue(key, 0);
        if (value < 1) {
            throw config.invalid(key, "= " + value + " is not a positive size");
        }
        return value;
    }

    private static double[] perChannel(ConfigFile config, String key, double[] defaultValues) {
        if (!config.has(key)) {
            return defaultValues.clone();
        }
        double[] values = config.doubleList(key);
        if (values.length != 3) {
            throw config.invalid(key, "has " + values.length + " entries, expected one per RGB channel (3)");
        }
        return values;
    }
}
