package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.weights.StateDict;

/** transformers' {@code CLIPEncoderLayer}: pre-norm self-attention and MLP (fc1, activation, fc2), each with a residual. */
public final class CLIPEncoderLayer {
    private final LayerNorm layerNorm1;
    private final CLIPAttention selfAttn;
    private final LayerNorm layerNorm2;
    private final Linear fc1;
    private final Linear fc2;
    private final boolean quickGelu;

    public CLIPEncoderLayer(StateDict weights, int heads, double eps, boolean quickGelu) {
        this.layerNorm1 = new LayerNorm(weights.scope("layer_norm1"), eps);
        this.selfAttn = new CLIPAttention(weights.scope("self_attn"), heads);
        this.layerNorm2 = new LayerNorm(weights.scope("layer_norm2"), eps);
        this.fc1 = Linear.load(weights.scope("mlp.fc1"));
        this.fc2 = Linear.load(weights.scope("mlp.fc2"));
        this.quickGelu = quickGelu;
    }

    /** {@code attentionMask} is additive (the text tower's causal mask), or null for none (the vision tower). */
    public NDArray forward(NDArray hidden, NDArray attentionMask) {
        return Ops.scoped(hidden, () -> {
            NDArray h = selfAttn.forward(layerNorm1.forward(hidden), attentionMask).add(hidden);
            NDArray mlp = fc1.forward(layerNorm2.forward(h));
            mlp = quickGelu ? Ops.quickGelu(mlp) : Ops.gelu(mlp);
            return fc2.forward(mlp).add(h);
        });
    }
}
