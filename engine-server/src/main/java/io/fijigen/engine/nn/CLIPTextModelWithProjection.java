package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.config.ClipTextConfig;
import io.fijigen.engine.weights.Parameter;
import io.fijigen.engine.weights.StateDict;
import java.util.Map;

/**
 * transformers' {@code CLIPTextModelWithProjection}, SDXL's second text encoder: a {@link
 * CLIPTextModel} and {@code text_projection} (a Linear without bias) applied to its pooled output,
 * giving {@code text_embeds}, the pooled prompt embedding SDXL's UNet takes.
 */
public final class CLIPTextModelWithProjection {
    private final CLIPTextModel textModel;
    private final Linear textProjection;

    public CLIPTextModelWithProjection(ClipTextConfig config, StateDict weights) {
        this.textModel = new CLIPTextModel(config, weights);
        this.textProjection = Linear.load(weights.scope("text_projection"));
    }

    /** The encoder itself, for its hidden states ({@link CLIPTextModel#hiddenStates}). */
    public CLIPTextModel textModel() {
        return textModel;
    }

    public ClipTextConfig config() {
        return textModel.config();
    }

    /** The encoder's Linear weights, as {@link CLIPTextModel#parameters()} names them: what LoRAs merge into. */
    public Map<String, Parameter> parameters() {
        return textModel.parameters();
    }

    /** The reference's outputs: {@code text_embeds} [B, projection_dim] and the last hidden state. */
    public record Output(NDArray textEmbeds, NDArray lastHiddenState) {}

    /** A layer's raw hidden states and {@code text_embeds}, from one pass (see {@link #hiddenStatesAndTextEmbeds}). */
    public record HiddenStatesAndTextEmbeds(NDArray hiddenStates, NDArray textEmbeds) {}

    /**
     * {@link CLIPTextModel#hiddenStates} and {@code text_embeds} in one pass of the encoder, as
     * diffusers takes SDXL's prompt embeddings and pooled embedding from one call.
     */
    public HiddenStatesAndTextEmbeds hiddenStatesAndTextEmbeds(NDArray inputIds, int layersFromEnd,
            NDArray addedTokens) {
        CLIPTextModel.HiddenStatesAndPooled out = textModel.hiddenStatesAndPooled(inputIds, layersFromEnd, addedTokens);
        NDArray textEmbeds = textProjection.forward(out.pooledOutput());
        out.pooledOutput().close();
        return new HiddenStatesAndTextEmbeds(out.hiddenStates(), textEmbeds);
    }

    /** {@code inputIds} is [B, S] int64; the pooled row is found as {@link CLIPTextModel} finds it. */
    public Output forward(NDArray inputIds) {
        return forward(inputIds, null);
    }

    /** {@link #forward(NDArray)} with textual-inversion tokens, as {@link CLIPTextModel#forward(NDArray, NDArray)}. */
    public Output forward(NDArray inputIds, NDArray addedTokens) {
        CLIPTextModel.Output out = textModel.forward(inputIds, addedTokens);
        NDArray textEmbeds = textProjection.forward(out.pooledOutput());
        out.pooledOutput().close();
        return new Output(textEmbeds, out.lastHiddenState());
    }
}
