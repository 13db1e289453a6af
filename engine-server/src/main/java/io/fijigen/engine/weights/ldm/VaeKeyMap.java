package io.fijigen.engine.weights.ldm;

import io.fijigen.engine.weights.TensorView;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * LDM autoencoder keys ({@code first_stage_model.encoder.down.0.block.0...}) to diffusers'
 * {@code AutoencoderKL} keys, as the reference's {@code convert_ldm_vae_checkpoint}: the decoder's
 * levels are numbered the other way round, and the mid-block attention's 1x1 convolutions become
 * linear layers (a reshape of the same bytes).
 */
public final class VaeKeyMap {
    private static final Pattern DOWN = Pattern.compile("encoder\\.down\\.(\\d+)\\.(block\\.(\\d+)|downsample)\\.(.+)");
    private static final Pattern UP = Pattern.compile("decoder\\.up\\.(\\d+)\\.(block\\.(\\d+)|upsample)\\.(.+)");
    private static final Pattern MID = Pattern.compile("(encoder|decoder)\\.mid\\.(block_1|block_2|attn_1)\\.(.+)");
    private static final Pattern UP_LEVEL = Pattern.compile("decoder\\.up\\.(\\d+)\\.");
    private static final Map<String, String> ATTENTION_LAYERS = Map.of(
            "norm", "group_norm", "q", "to_q", "k", "to_k", "v", "to_v", "proj_out", "to_out.0");

    private VaeKeyMap() {}

    public static Map<String, TensorView> map(ComponentTensors vae) {
        int levels = vae.countDistinct(UP_LEVEL);
        Map<String, TensorView> mapped = new LinkedHashMap<>();
        for (String key : vae.keys()) {
            TensorView view = vae.view(key);
            String target = target(key, levels);
            if (target == null) {
                throw UNetKeyMap.unknown(vae, key);
            }
            if (target.contains(".attentions.0.to_") && target.endsWith(".weight") && view.shape().length == 4) {
                long[] shape = view.shape();
                view = view.reshaped(shape[0], shape[1]);
            }
            mapped.put(target, view.renamed(target));
        }
        return mapped;
    }

    private static String target(String key, int levels) {
        switch (key) {
            case "encoder.norm_out.weight", "encoder.norm_out.bias", "decoder.norm_out.weight", "decoder.norm_out.bias":
                return key.replace("norm_out", "conv_norm_out");
            case "encoder.conv_in.weight", "encoder.conv_in.bias", "encoder.conv_out.weight", "encoder.conv_out.bias",
                    "decoder.conv_in.weight", "decoder.conv_in.bias", "decoder.conv_out.weight", "decoder.conv_out.bias",
                    "quant_conv.weight", "quant_conv.bias", "post_quant_conv.weight", "post_quant_conv.bias":
                return key;
            default:
                break;
        }
        Matcher down = DOWN.matcher(key);
        if (down.matches()) {
            String level = "encoder.down_blocks." + down.group(1);
            return down.group(3) == null
                    ? level + ".downsamplers.0." + down.group(4)
                    : level + ".resnets." + down.group(3) + "." + resnetLayer(down.group(4));
        }
        Matcher up = UP.matcher(key);
        if (up.matches()) {
            // LDM counts decoder levels from the highest resolution, diffusers from the lowest.
            String level = "decoder.up_blocks." + (levels - 1 - Integer.parseInt(up.group(1)));
            return up.group(3) == null
                    ? level + ".upsamplers.0." + up.group(4)
                    : level + ".resnets." + up.group(3) + "." + resnetLayer(up.group(4));
        }
        Matcher mid = MID.matcher(key);
        if (mid.matches()) {
            String block = mid.group(1) + ".mid_block.";
            String rest = mid.group(3);
            return switch (mid.group(2)) {
                case "block_1" -> block + "resnets.0." + resnetLayer(rest);
                case "block_2" -> block + "resnets.1." + resnetLayer(rest);
                default -> {
                    int dot = rest.indexOf('.');
                    String layer = dot < 0 ? null : ATTENTION_LAYERS.get(rest.substring(0, dot));
                    yield layer == null ? null : block + "attentions.0." + layer + rest.substring(dot);
                }
            };
        }
        return null;
    }

    private static String resnetLayer(String key) {
        return key.replace("nin_shortcut", "conv_shortcut");
    }
}
