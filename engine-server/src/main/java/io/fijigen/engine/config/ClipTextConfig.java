package io.fijigen.engine.config;

import java.io.IOException;
import java.nio.file.Path;

/**
 * transformers' {@code CLIPTextConfig}, the text encoder of SD 1.x (quick_gelu) and 2.x (gelu).
 *
 * @param eosTokenId the pooled output is the row of the first occurrence of this id
 */
public record ClipTextConfig(
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int maxPositionEmbeddings,
        String hiddenAct,
        double layerNormEps,
        int bosTokenId,
        int eosTokenId,
        int padTokenId,
        int projectionDim) {

    public static ClipTextConfig read(Path file) throws IOException {
        return from(ConfigFile.read(file));
    }

    /** From a file or built in memory (a single-file checkpoint's inferred config). */
    public static ClipTextConfig from(ConfigFile config) {
        config.requireDefault("attention_dropout", 0.0);
        int hidden = config.intValue("hidden_size", 512);
        int heads = config.headCount("num_attention_heads", 8, hidden);
        return new ClipTextConfig(
                config.intValue("vocab_size", 49408),
                hidden,
                config.intValue("intermediate_size", 2048),
                config.intValue("num_hidden_layers", 12),
                heads,
                config.intValue("max_position_embeddings", 77),
                config.choice("hidden_act", "quick_gelu", "gelu"),
                config.doubleValue("layer_norm_eps", 1e-5),
                config.intValue("bos_token_id", 49406),
                config.intValue("eos_token_id", 49407),
                config.intValue("pad_token_id", 1),
                config.intValue("projection_dim", 512));
    }
}
