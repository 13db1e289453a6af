package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import io.fijigen.engine.config.ClipVisionConfig;
import io.fijigen.engine.weights.StateDict;

/**
 * transformers' {@code CLIPVisionModel}, whose weights sit under its {@code vision_model.}
 * ({@code CLIPVisionTransformer}): patch embeddings, {@code pre_layrnorm} (the reference's spelling),
 * the encoder without a mask, and {@code post_layernorm} on the class token as the pooled output.
 */
public final class CLIPVisionModel {
    private static final String PREFIX = "vision_model";

    private final CLIPVisionEmbeddings embeddings;
    private final LayerNorm preLayrnorm;
    private final CLIPEncoder encoder;
    private final LayerNorm postLayernorm;

    public CLIPVisionModel(ClipVisionConfig config, StateDict weights) {
        StateDict model = weights.scope(PREFIX);
        this.embeddings = new CLIPVisionEmbeddings(config, model.scope("embeddings"));
        this.preLayrnorm = new LayerNorm(model.scope("pre_layrnorm"), config.layerNormEps());
        this.encoder = new CLIPEncoder(model.scope("encoder"), config.numHiddenLayers(), config.numAttentionHeads(),
                config.layerNormEps(), config.hiddenAct());
        this.postLayernorm = new LayerNorm(model.scope("post_layernorm"), config.layerNormEps());
    }

    /** The reference's outputs: every token's hidden state (before the post norm), and the pooled class token. */
    public record Output(NDArray lastHiddenState, NDArray pooledOutput) {}

    /** {@code pixelValues} is [B, C, image_size, image_size], as the CLIP image processor makes it. */
    public Output forward(NDArray pixelValues) {
        NDArray last = Ops.scoped(pixelValues, () -> encoder.forward(
                preLayrnorm.forward(embeddings.forward(pixelValues)), null, encoder.numLayers()));
        NDArray pooled = Ops.scoped(last, () -> postLayernorm.forward(last.get(new NDIndex(":, 0, :"))));
        return new Output(last, pooled);
    }
}
