package io.fijigen.engine.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * diffusers' {@code UNet2DConditionModel} config, resolved per level.
 *
 * <p>{@code attention_head_dim} is, by a naming quirk of the reference, the number of heads; {@code
 * num_attention_heads} wins when set. Per-level lists are for the down path; the mid block uses the
 * last entry and the up path the list reversed ({@link #upLevel}).
 *
 * @param upBlockTypes empty for a ControlNet, which has no up path
 * @param attentionHeads heads per down level
 * @param onlyCrossAttention per down level: the first attention attends to the text, not itself
 * @param transformerLayersPerBlock per down level
 * @param numClassEmbeds class labels (the x4 upscaler's noise level), null when absent
 * @param textTime SDXL's added text and time embedding, null when absent
 * @param timeEmbedDim width of the timestep embedding MLP
 * @param timeCondProjDim width of the guidance-scale embedding that LCM-distilled UNets add to the timestep
 *     sinusoids ({@code time_embedding.cond_proj}), null when absent
 */
public record UNet2DConditionConfig(
        int inChannels,
        int outChannels,
        int[] blockOutChannels,
        List<String> downBlockTypes,
        List<String> upBlockTypes,
        int layersPerBlock,
        int[] attentionHeads,
        boolean[] onlyCrossAttention,
        int[] transformerLayersPerBlock,
        int crossAttentionDim,
        boolean useLinearProjection,
        boolean upcastAttention,
        Integer numClassEmbeds,
        TextTimeEmbedding textTime,
        boolean flipSinToCos,
        int freqShift,
        int timeEmbedDim,
        Integer timeCondProjDim,
        int normNumGroups,
        double normEps,
        int downsamplePadding,
        double midBlockScaleFactor,
        double resnetOutScaleFactor,
        boolean centerInputSample,
        int convInKernel,
        int convOutKernel,
        int sampleSize) {

    /**
     * {@code addition_embed_type "text_time"} (SDXL): the pooled text embedding and each
     * micro-conditioning id embedded as a timestep, through {@code add_embedding} into the timestep
     * embedding.
     *
     * @param timeEmbedDim {@code addition_time_embed_dim}: the sinusoid width per time id
     * @param inputDim {@code projection_class_embeddings_input_dim}: the pooled width plus
     *     {@code timeEmbedDim} per time id (SDXL base: 1280 + 6·256)
     */
    public record TextTimeEmbedding(int timeEmbedDim, int inputDim) {}

    public static final List<String> DOWN_BLOCKS = List.of("CrossAttnDownBlock2D", "DownBlock2D");
    public static final List<String> UP_BLOCKS = List.of("CrossAttnUpBlock2D", "UpBlock2D");

    public static UNet2DConditionConfig read(Path file) throws IOException {
        return from(ConfigFile.read(file));
    }

    /** A UNet's config, from a file or built in memory (a single-file checkpoint's inferred config). */
    public static UNet2DConditionConfig from(ConfigFile config) {
        return from(config, true);
    }

    /**
     * Reads the keys a UNet and a ControlNet share; {@code withUpPath} is false for a ControlNet,
     * whose config has no up blocks and no output channels.
     */
    static UNet2DConditionConfig from(ConfigFile config, boolean withUpPath) {
        rejectUnsupported(config);
        int[] blockOut = config.intList("block_out_channels");
        int levels = blockOut.length;
        List<String> down = config.stringList("down_block_types");
        checkBlockTypes(config, "down_block_types", down, DOWN_BLOCKS, levels);
        List<String> up = withUpPath ? config.stringList("up_block_types") : List.of();
        if (withUpPath) {
            checkBlockTypes(config, "up_block_types", up, UP_BLOCKS, levels);
        }
        config.choice("mid_block_type", "UNetMidBlock2DCrossAttn");
        String headsKey = config.has("num_attention_heads") ? "num_attention_heads" : "attention_head_dim";
        int[] heads = config.intPerLevel(headsKey, levels, 8);
        for (int i = 0; i < levels; i++) {
            if (heads[i] <= 0 || blockOut[i] % heads[i] != 0) {
                throw config.invalid(headsKey, "= " + heads[i] + " at level " + i + " does not divide "
                        + blockOut[i] + " channels");
            }
        }
        if (config.has("cross_attention_dim") && !isScalar(config, "cross_attention_dim")) {
            throw config.invalid("cross_attention_dim", "per level is not supported (use one integer)");
        }
        int convIn = oddKernel(config, "conv_in_kernel");
        int convOut = oddKernel(config, "conv_out_kernel");
        Integer timeEmbeddingDim = config.optionalInt("time_embedding_dim");
        int groups = config.intValue("norm_num_groups", 32);
        for (int channels : blockOut) {
            if (channels % groups != 0) {
                throw config.invalid("norm_num_groups", "= " + groups + " does not divide " + channels + " channels");
            }
        }
        return new UNet2DConditionConfig(
                config.intValue("in_channels", 4),
                withUpPath ? config.intValue("out_channels", 4) : 0,
                blockOut,
                down,
                up,
                config.intValue("layers_per_block", 2),
                heads,
                config.boolPerLevel("only_cross_attention", levels, false),
                config.intPerLevel("transformer_layers_per_block", levels, 1),
                config.intValue("cross_attention_dim", 1280),
                config.boolValue("use_linear_projection", false),
                config.boolValue("upcast_attention", false),
                config.optionalInt("num_class_embeds"),
                textTime(config),
                config.boolValue("flip_sin_to_cos", true),
                config.intValue("freq_shift", 0),
                timeEmbeddingDim != null ? timeEmbeddingDim : blockOut[0] * 4,
                positiveOrNull(config, "time_cond_proj_dim"),
                groups,
                config.doubleValue("norm_eps", 1e-5),
                config.intValue("downsample_padding", 1),
                config.doubleValue("mid_block_scale_factor", 1.0),
                config.doubleValue("resnet_out_scale_factor", 1.0),
                config.boolValue("center_input_sample", false),
                convIn,
                convOut,
                config.intValue("sample_size", 64));
    }

    public int levels() {
        return blockOutChannels.length;
    }

    /** The down level an up block mirrors: up block {@code i} uses the settings of level n-1-i. */
    public int upLevel(int upIndex) {
        return levels() - 1 - upIndex;
    }

    private static void rejectUnsupported(ConfigFile config) {
        config.requireDefault("act_fn", "silu");
        config.requireDefault("attention_type", "default");
        config.requireDefault("class_embed_type", null);
        config.requireDefault("class_embeddings_concat", false);
        config.requireDefault("cross_attention_norm", null);
        config.requireDefault("dual_cross_attention", false);
        config.requireDefault("encoder_hid_dim", null);
        config.requireDefault("encoder_hid_dim_type", null);
        config.requireDefault("resnet_skip_time_act", false);
        config.requireDefault("resnet_time_scale_shift", "default");
        config.requireDefault("reverse_transformer_layers_per_block", null);
        config.requireDefault("time_embedding_act_fn", null);
        config.requireDefault("time_embedding_type", "positional");
        config.requireDefault("timestep_post_act", null);
        config.requireDefault("global_pool_conditions", false);
    }

    /**
     * The added embedding, null without {@code addition_embed_type} (its two sizes then mean nothing,
     * as in the reference); types other than "text_time" are refused by name.
     */
    private static TextTimeEmbedding textTime(ConfigFile config) {
        String type = config.string("addition_embed_type", null);
        if (type == null) {
            return null;
        }
        if (!type.equals("text_time")) {
            throw config.invalid("addition_embed_type", "= \"" + type + "\" is not supported (supported: text_time)");
        }
        return new TextTimeEmbedding(requiredBy(config, "addition_time_embed_dim"),
                requiredBy(config, "projection_class_embeddings_input_dim"));
    }

    private static int requiredBy(ConfigFile config, String key) {
        Integer value = config.optionalInt(key);
        if (value == null || value <= 0) {
            throw config.invalid(key, "= " + value
                    + " must be a positive integer with addition_embed_type \"text_time\"");
        }
        return value;
    }

    private static void checkBlockTypes(
            ConfigFile config, String key, List<String> types, List<String> supported, int levels) {
        if (types.size() != levels) {
            throw config.invalid(key, "has " + types.size() + " entries but block_out_channels has " + levels);
        }
        for (String type : types) {
            if (!supported.contains(type)) {
                throw config.invalid(key, "contains \"" + type + "\", which is not supported (supported: "
                        + String.join(", ", supported) + ")");
            }
        }
    }

    private static Integer positiveOrNull(ConfigFile config, String key) {
        Integer value = config.optionalInt(key);
        if (value != null && value < 1) {
            throw config.invalid(key, "= " + value + " must be a positive integer (or null)");
        }
        return value;
    }

    private static int oddKernel(ConfigFile config, String key) {
        int kernel = config.intValue(key, 3);
        if (kernel < 1 || kernel % 2 == 0) {
            throw config.invalid(key, "= " + kernel + " must be an odd positive size");
        }
        return kernel;
    }

    private static boolean isScalar(ConfigFile config, String key) {
        try {
            config.intValue(key, 0);
            return true;
        } catch (ConfigException e) {
            return false;
        }
    }
}
