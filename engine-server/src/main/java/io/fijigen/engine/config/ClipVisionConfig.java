package io.fijigen.engine.config;

/**
 * transformers' {@code CLIPVisionConfig}: the image tower of CLIP, as the safety checker nests it
 * under {@code vision_config}.
 *
 * @param imageSize the side of the square input; the position embeddings cover (imageSize / patchSize)² patches
 */
public record ClipVisionConfig(
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numChannels,
        int imageSize,
        int patchSize,
        String hiddenAct,
        double layerNormEps) {

    public static ClipVisionConfig of(ConfigFile config) {
        config.requireDefault("attention_dropout", 0.0);
        int hidden = config.intValue("hidden_size", 768);
        int imageSize = config.intValue("image_size", 224);
        int patchSize = config.intValue("patch_size", 32);
        if (patchSize <= 0 || imageSize % patchSize != 0) {
            throw config.invalid("patch_size", "= " + patchSize + " does not divide image_size " + imageSize);
        }
        return new ClipVisionConfig(
                hidden,
                config.intValue("intermediate_size", 3072),
                config.intValue("num_hidden_layers", 12),
                config.headCount("num_attention_heads", 12, hidden),
                config.intValue("num_channels", 3),
                imageSize,
                patchSize,
                config.choice("hidden_act", "quick_gelu", "gelu"),
                config.doubleValue("layer_norm_eps", 1e-5));
    }

    /** The number of patches plus the class token: the length of the sequence the encoder sees. */
    public int numPositions() {
        int side = imageSize / patchSize;
        return side * side + 1;
    }
}
