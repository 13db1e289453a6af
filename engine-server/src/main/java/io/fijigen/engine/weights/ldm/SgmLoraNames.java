package io.fijigen.engine.weights.ldm;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kohya's names of UNet modules in the original SGM/LDM layout, as its SDXL LoRAs use them
 * ({@code input_blocks_4_1_transformer_blocks_0_attn1_to_q}, dots turned into underscores), to the
 * same flattened form of the diffusers path ({@code down_blocks_1_attentions_0_transformer_blocks_0_attn1_to_q}),
 * by the block numbering of {@link UNetKeyMap}. Inside a block the names are diffusers' already,
 * except a ResBlock's ({@code in_layers_2} is {@code conv1}); which underscores were dots is then
 * found by matching the model's own module paths.
 */
public final class SgmLoraNames {
    private static final Pattern BLOCK = Pattern.compile("(input_blocks|output_blocks)_(\\d+)_(\\d+)(?:_(.+))?");
    private static final Pattern MIDDLE = Pattern.compile("middle_block_(\\d+)_(.+)");
    /** The time embedding, SDXL's add-embedding ({@code label_emb.0}) and the output convolution. */
    private static final Pattern TOP = Pattern.compile("(time_embed|label_emb_0|out)_(\\d+)");
    /** A ResBlock's layers by sequential index, which the key map reads with their dot. */
    private static final Pattern RESBLOCK_LAYER = Pattern.compile("(in_layers|out_layers|emb_layers)_(\\d+)");
    private static final String WEIGHT = ".weight";

    private SgmLoraNames() {}

    /** The flattened diffusers path, given the UNet's resnets per level; empty when {@code name} is not an SGM one. */
    public static Optional<String> diffusersName(String name, int layersPerBlock) {
        return ldmKey(name)
                .flatMap(key -> UNetKeyMap.diffusersKey(key + WEIGHT, layersPerBlock))
                .map(key -> key.substring(0, key.length() - WEIGHT.length()).replace('.', '_'));
    }

    private static Optional<String> ldmKey(String name) {
        Matcher block = BLOCK.matcher(name);
        if (block.matches()) {
            String path = block.group(1) + "." + block.group(2) + "." + block.group(3);
            return Optional.of(block.group(4) == null ? path : path + "." + dotted(block.group(4)));
        }
        Matcher middle = MIDDLE.matcher(name);
        if (middle.matches()) {
            return Optional.of("middle_block." + middle.group(1) + "." + dotted(middle.group(2)));
        }
        Matcher top = TOP.matcher(name);
        if (top.matches()) {
            String module = top.group(1).equals("label_emb_0") ? "label_emb.0" : top.group(1);
            return Optional.of(module + "." + top.group(2));
        }
        return Optional.empty();
    }

    private static String dotted(String rest) {
        Matcher layer = RESBLOCK_LAYER.matcher(rest);
        return layer.matches() ? layer.group(1) + "." + layer.group(2) : rest;
    }
}
