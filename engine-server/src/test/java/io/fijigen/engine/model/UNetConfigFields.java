package io.fijigen.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.config.ConfigFile;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The UNet and ControlNet config keys the networks read ({@code UNet2DConditionConfig},
 * {@code ControlNetConfig} and SDXL's text-time embedding), each read with the reference's default:
 * two configs that agree on all of them build the same networks. Compared key by key because
 * {@code UNet2DConditionConfig} does not take SDXL's embedding on this branch; once it does, the
 * records can be compared instead.
 */
final class UNetConfigFields {
    private static final Map<String, Function<ConfigFile, Object>> SHARED = new LinkedHashMap<>();
    private static final Map<String, Function<ConfigFile, Object>> UNET_ONLY = new LinkedHashMap<>();
    private static final Map<String, Function<ConfigFile, Object>> CONTROLNET_ONLY = new LinkedHashMap<>();

    static {
        SHARED.put("in_channels", c -> c.intValue("in_channels", 4));
        SHARED.put("block_out_channels", c -> list(c.intList("block_out_channels")));
        SHARED.put("down_block_types", c -> c.stringList("down_block_types"));
        SHARED.put("mid_block_type", c -> c.string("mid_block_type", "UNetMidBlock2DCrossAttn"));
        SHARED.put("layers_per_block", c -> c.intValue("layers_per_block", 2));
        SHARED.put("attention heads", c -> list(c.intPerLevel(
                c.has("num_attention_heads") ? "num_attention_heads" : "attention_head_dim", levels(c), 8)));
        SHARED.put("only_cross_attention", c -> Arrays.toString(c.boolPerLevel("only_cross_attention", levels(c), false)));
        SHARED.put("transformer_layers_per_block", c -> list(c.intPerLevel("transformer_layers_per_block", levels(c), 1)));
        SHARED.put("cross_attention_dim", c -> c.intValue("cross_attention_dim", 1280));
        SHARED.put("use_linear_projection", c -> c.boolValue("use_linear_projection", false));
        SHARED.put("upcast_attention", c -> c.boolValue("upcast_attention", false));
        SHARED.put("num_class_embeds", c -> String.valueOf(c.optionalInt("num_class_embeds")));
        SHARED.put("flip_sin_to_cos", c -> c.boolValue("flip_sin_to_cos", true));
        SHARED.put("freq_shift", c -> c.intValue("freq_shift", 0));
        SHARED.put("time_embedding_dim", c -> String.valueOf(c.optionalInt("time_embedding_dim")));
        SHARED.put("norm_num_groups", c -> c.intValue("norm_num_groups", 32));
        SHARED.put("norm_eps", c -> c.doubleValue("norm_eps", 1e-5));
        SHARED.put("downsample_padding", c -> c.intValue("downsample_padding", 1));
        SHARED.put("mid_block_scale_factor", c -> c.doubleValue("mid_block_scale_factor", 1.0));
        SHARED.put("conv_in_kernel", c -> c.intValue("conv_in_kernel", 3));
        SHARED.put("act_fn", c -> c.string("act_fn", "silu"));
        SHARED.put("addition_embed_type", c -> c.string("addition_embed_type", "none"));
        SHARED.put("addition_time_embed_dim", c -> String.valueOf(c.optionalInt("addition_time_embed_dim")));
        SHARED.put("projection_class_embeddings_input_dim",
                c -> String.valueOf(c.optionalInt("projection_class_embeddings_input_dim")));
        UNET_ONLY.put("out_channels", c -> c.intValue("out_channels", 4));
        UNET_ONLY.put("up_block_types", c -> c.stringList("up_block_types"));
        UNET_ONLY.put("resnet_out_scale_factor", c -> c.doubleValue("resnet_out_scale_factor", 1.0));
        UNET_ONLY.put("center_input_sample", c -> c.boolValue("center_input_sample", false));
        UNET_ONLY.put("conv_out_kernel", c -> c.intValue("conv_out_kernel", 3));
        UNET_ONLY.put("sample_size", c -> c.intValue("sample_size", 64));
        CONTROLNET_ONLY.put("conditioning_channels", c -> c.intValue("conditioning_channels", 3));
        CONTROLNET_ONLY.put("conditioning_embedding_out_channels",
                c -> list(c.intList("conditioning_embedding_out_channels")));
        CONTROLNET_ONLY.put("controlnet_conditioning_channel_order",
                c -> c.string("controlnet_conditioning_channel_order", "rgb"));
        CONTROLNET_ONLY.put("global_pool_conditions", c -> c.boolValue("global_pool_conditions", false));
    }

    private UNetConfigFields() {}

    static void assertSameUNet(ConfigFile ours, ConfigFile reference) {
        assertSame(ours, reference, SHARED);
        assertSame(ours, reference, UNET_ONLY);
    }

    static void assertSameControlNet(ConfigFile ours, ConfigFile reference) {
        assertSame(ours, reference, SHARED);
        assertSame(ours, reference, CONTROLNET_ONLY);
    }

    private static void assertSame(ConfigFile ours, ConfigFile reference, Map<String, Function<ConfigFile, Object>> fields) {
        fields.forEach((key, read) -> assertThat(read.apply(ours)).as(ours.name() + ": " + key)
                .isEqualTo(read.apply(reference)));
    }

    private static int levels(ConfigFile config) {
        return config.intList("block_out_channels").length;
    }

    private static List<Integer> list(int[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}
