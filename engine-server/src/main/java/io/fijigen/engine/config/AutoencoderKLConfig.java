package io.fijigen.engine.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * diffusers' {@code AutoencoderKL} config (the SD 1.x/2.x VAE with 4 levels, the x4 upscaler's
 * with 3).
 *
 * @param scalingFactor latents are multiplied by it after encoding and divided before decoding
 * @param shiftFactor subtracted before scaling, null when the model has none
 */
public record AutoencoderKLConfig(
        int inChannels,
        int outChannels,
        int latentChannels,
        int[] blockOutChannels,
        int layersPerBlock,
        int normNumGroups,
        boolean midBlockAddAttention,
        boolean useQuantConv,
        boolean usePostQuantConv,
        double scalingFactor,
        Double shiftFactor,
        boolean forceUpcast) {

    public static AutoencoderKLConfig read(Path file) throws IOException {
        return from(ConfigFile.read(file));
    }

    /** From a file or built in memory (a single-file checkpoint's inferred config). */
    public static AutoencoderKLConfig from(ConfigFile config) {
        config.requireDefault("act_fn", "silu");
        config.requireDefault("latents_mean", null);
        config.requireDefault("latents_std", null);
        int[] blockOut = config.intList("block_out_channels");
        checkTypes(config, "down_block_types", "DownEncoderBlock2D", blockOut.length);
        checkTypes(config, "up_block_types", "UpDecoderBlock2D", blockOut.length);
        int groups = config.intValue("norm_num_groups", 32);
        for (int channels : blockOut) {
            if (channels % groups != 0) {
                throw config.invalid("norm_num_groups", "= " + groups + " does not divide " + channels + " channels");
            }
        }
        return new AutoencoderKLConfig(
                config.intValue("in_channels", 3),
                config.intValue("out_channels", 3),
                config.intValue("latent_channels", 4),
                blockOut,
                config.intValue("layers_per_block", 1),
                groups,
                config.boolValue("mid_block_add_attention", true),
                config.boolValue("use_quant_conv", true),
                config.boolValue("use_post_quant_conv", true),
                config.doubleValue("scaling_factor", 0.18215),
                config.optionalDouble("shift_factor"),
                config.boolValue("force_upcast", true));
    }

    /** How many times the encoder halves the image: 8 for SD's VAE, 4 for the upscaler's. */
    public int downscale() {
        return 1 << (blockOutChannels.length - 1);
    }

    private static void checkTypes(ConfigFile config, String key, String supported, int levels) {
        if (!config.has(key)) {
            return;
        }
        List<String> types = config.stringList(key);
        if (types.size() != levels) {
            throw config.invalid(key, "has " + types.size() + " entries but block_out_channels has " + levels);
        }
        for (String type : types) {
            if (!type.equals(supported)) {
                throw config.invalid(key, "contains \"" + type + "\", which is not supported (only " + supported + ")");
            }
        }
    }
}
