package io.fijigen.engine.weights.ldm;

import io.fijigen.engine.weights.TensorView;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * LDM and SGM UNet keys ({@code openaimodel.UNetModel}: {@code input_blocks}, {@code middle_block},
 * {@code output_blocks}) to diffusers' {@code UNet2DConditionModel} keys, as the reference's
 * {@code convert_ldm_unet_checkpoint} renames them. Transformer blocks keep their inner names; the
 * renaming is of the block paths and of the ResBlock's layers. SDXL's UNet is the same layout with
 * three levels, several transformer blocks per attention and the size-and-pooled-text embedding
 * ({@code label_emb.0}).
 */
public final class UNetKeyMap {
    private static final Pattern INPUT = Pattern.compile("input_blocks\\.(\\d+)\\.(\\d+)\\.(.+)");
    private static final Pattern MIDDLE = Pattern.compile("middle_block\\.(\\d)\\.(.+)");
    private static final Pattern OUTPUT = Pattern.compile("output_blocks\\.(\\d+)\\.(\\d+)\\.(.+)");
    private static final Pattern DOWNSAMPLE = Pattern.compile("input_blocks\\.(\\d+)\\.0\\.op\\.weight");

    private static final Map<String, String> ENCODER_LAYERS = Map.of(
            "time_embed.0.weight", "time_embedding.linear_1.weight",
            "time_embed.0.bias", "time_embedding.linear_1.bias",
            "time_embed.2.weight", "time_embedding.linear_2.weight",
            "time_embed.2.bias", "time_embedding.linear_2.bias",
            "input_blocks.0.0.weight", "conv_in.weight",
            "input_blocks.0.0.bias", "conv_in.bias",
            "label_emb.0.0.weight", "add_embedding.linear_1.weight",
            "label_emb.0.0.bias", "add_embedding.linear_1.bias",
            "label_emb.0.2.weight", "add_embedding.linear_2.weight",
            "label_emb.0.2.bias", "add_embedding.linear_2.bias");
    private static final Map<String, String> OUTPUT_LAYERS = Map.of(
            "out.0.weight", "conv_norm_out.weight",
            "out.0.bias", "conv_norm_out.bias",
            "out.2.weight", "conv_out.weight",
            "out.2.bias", "conv_out.bias",
            // The x4 upscaler's noise-level embedding (num_class_embeds).
            "label_emb.weight", "class_embedding.weight");

    private UNetKeyMap() {}

    /** Every tensor of {@code unet} under its diffusers key. */
    public static Map<String, TensorView> map(ComponentTensors unet) {
        int layersPerBlock = layersPerBlock(unet);
        Map<String, TensorView> mapped = new LinkedHashMap<>();
        for (String key : unet.keys()) {
            String target = diffusersKey(key, layersPerBlock).orElseThrow(() -> unknown(unet, key));
            mapped.put(target, unet.view(key).renamed(target));
        }
        return mapped;
    }

    /**
     * The diffusers key of one LDM UNet key ({@code input_blocks.4.1.proj_in.weight} →
     * {@code down_blocks.1.attentions.0.proj_in.weight}), given the resnets per level; empty for a
     * key of no UNet module.
     */
    public static Optional<String> diffusersKey(String key, int layersPerBlock) {
        return encoderKey(key, layersPerBlock)
                .or(() -> Optional.ofNullable(OUTPUT_LAYERS.get(key)))
                .or(() -> decoderKey(key, layersPerBlock));
    }

    /**
     * Resnets per level: each level is that many ResBlocks then a downsampler, so the first
     * downsampler's index is one more (the reference reads it from the config instead).
     */
    public static int layersPerBlock(ComponentTensors unet) {
        int first = unet.keys().stream()
                .map(DOWNSAMPLE::matcher)
                .filter(Matcher::matches)
                .mapToInt(m -> Integer.parseInt(m.group(1)))
                .min()
                .orElseThrow(() -> new LdmFormatException("no downsampler (" + unet.prefix()
                        + "input_blocks.N.0.op.weight) in the checkpoint: not a Stable Diffusion UNet"));
        return first - 1;
    }

    /** The key of a tensor of the down path, mid block or time embedding; shared with ControlNet. */
    static Optional<String> encoderKey(String key, int layersPerBlock) {
        String fixed = ENCODER_LAYERS.get(key);
        if (fixed != null) {
            return Optional.of(fixed);
        }
        Matcher input = INPUT.matcher(key);
        if (input.matches()) {
            int i = Integer.parseInt(input.group(1));
            int block = (i - 1) / (layersPerBlock + 1);
            int layer = (i - 1) % (layersPerBlock + 1);
            String rest = input.group(3);
            return switch (input.group(2)) {
                case "0" -> Optional.of(rest.startsWith("op.")
                        ? "down_blocks." + block + ".downsamplers.0.conv." + rest.substring("op.".length())
                        : "down_blocks." + block + ".resnets." + layer + "." + resnetLayer(rest));
                case "1" -> Optional.of("down_blocks." + block + ".attentions." + layer + "." + rest);
                default -> Optional.empty();
            };
        }
        Matcher middle = MIDDLE.matcher(key);
        if (middle.matches()) {
            return switch (middle.group(1)) {
                case "0" -> Optional.of("mid_block.resnets.0." + resnetLayer(middle.group(2)));
                case "1" -> Optional.of("mid_block.attentions.0." + middle.group(2));
                case "2" -> Optional.of("mid_block.resnets.1." + resnetLayer(middle.group(2)));
                default -> Optional.empty();
            };
        }
        return Optional.empty();
    }

    private static Optional<String> decoderKey(String key, int layersPerBlock) {
        Matcher output = OUTPUT.matcher(key);
        if (!output.matches()) {
            return Optional.empty();
        }
        int i = Integer.parseInt(output.group(1));
        int block = i / (layersPerBlock + 1);
        int layer = i % (layersPerBlock + 1);
        String rest = output.group(3);
        String up = "up_blocks." + block + ".";
        return switch (output.group(2)) {
            case "0" -> Optional.of(up + "resnets." + layer + "." + resnetLayer(rest));
            // Sub-module 1 is the attention, or the upsampler of a level without attention.
            case "1" -> Optional.of(rest.startsWith("conv.") ? up + "upsamplers.0." + rest
                    : up + "attentions." + layer + "." + rest);
            case "2" -> rest.startsWith("conv.") ? Optional.of(up + "upsamplers.0." + rest) : Optional.empty();
            default -> Optional.empty();
        };
    }

    /** LDM's ResBlock sequential indices to diffusers' ResnetBlock2D names. */
    private static String resnetLayer(String key) {
        return key.replace("in_layers.0", "norm1")
                .replace("in_layers.2", "conv1")
                .replace("out_layers.0", "norm2")
                .replace("out_layers.3", "conv2")
                .replace("emb_layers.1", "time_emb_proj")
                .replace("skip_connection", "conv_shortcut");
    }

    static LdmFormatException unknown(ComponentTensors component, String key) {
        return new LdmFormatException("unexpected tensor " + component.prefix() + key
                + " in an LDM checkpoint: this layout (SD 1.x/2.x or SDXL UNet, VAE, CLIP or OpenCLIP text encoder,"
                + " ControlNet) has no such module; other architectures are not supported");
    }
}
