package io.fijigen.engine.weights.ldm;

import io.fijigen.engine.weights.TensorView;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An LDM ControlNet ({@code cldm.ControlNet}, keys {@code control_model.*} or the same without the
 * prefix) to diffusers' {@code ControlNetModel}, as the reference's
 * {@code convert_controlnet_checkpoint}: the UNet's down path and mid block as in {@link UNetKeyMap},
 * {@code zero_convs} and {@code middle_block_out} as the residual projections, and the hint
 * encoder's convolutions ({@code input_hint_block}, every other module a SiLU) as the conditioning
 * embedding, its first convolution {@code conv_in} and its last {@code conv_out}.
 */
public final class ControlNetKeyMap {
    public static final String PREFIX = "control_model.";
    static final Pattern HINT = Pattern.compile("input_hint_block\\.(\\d+)\\.(weight|bias)");
    private static final Pattern ZERO_CONV = Pattern.compile("zero_convs\\.(\\d+)\\.0\\.(weight|bias)");

    private ControlNetKeyMap() {}

    public static Map<String, TensorView> map(ComponentTensors controlNet) {
        int layersPerBlock = UNetKeyMap.layersPerBlock(controlNet);
        int lastHint = controlNet.keys().stream().map(HINT::matcher).filter(Matcher::matches)
                .mapToInt(m -> Integer.parseInt(m.group(1))).max()
                .orElseThrow(() -> new LdmFormatException("no hint encoder (" + controlNet.prefix()
                        + "input_hint_block.0.weight) in the checkpoint: not a ControlNet"));
        Map<String, TensorView> mapped = new LinkedHashMap<>();
        for (String key : controlNet.keys()) {
            String target = UNetKeyMap.encoderKey(key, layersPerBlock).orElseGet(() -> controlKey(key, lastHint));
            if (target == null) {
                throw UNetKeyMap.unknown(controlNet, key);
            }
            mapped.put(target, controlNet.view(key).renamed(target));
        }
        return mapped;
    }

    private static String controlKey(String key, int lastHint) {
        Matcher zero = ZERO_CONV.matcher(key);
        if (zero.matches()) {
            return "controlnet_down_blocks." + zero.group(1) + "." + zero.group(2);
        }
        if (key.startsWith("middle_block_out.0.")) {
            return "controlnet_mid_block." + key.substring("middle_block_out.0.".length());
        }
        Matcher hint = HINT.matcher(key);
        if (hint.matches()) {
            int index = Integer.parseInt(hint.group(1));
            String embedding = "controlnet_cond_embedding.";
            if (index == 0) {
                return embedding + "conv_in." + hint.group(2);
            }
            return index == lastHint ? embedding + "conv_out." + hint.group(2)
                    : embedding + "blocks." + (index / 2 - 1) + "." + hint.group(2);
        }
        return null;
    }
}
