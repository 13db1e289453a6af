package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.weights.StateDict;
import java.util.List;

/**
 * diffusers' {@code BasicTransformerBlock} (layer norms, GEGLU feed-forward): self-attention,
 * cross-attention on the text, feed-forward, each pre-normed with a residual. With {@code
 * only_cross_attention} (the x4 upscaler) the first attention also attends to the text.
 */
public final class BasicTransformerBlock {
    private static final double NORM_EPS = 1e-5;

    private final boolean onlyCrossAttention;
    private final LayerNorm norm1;
    private final Attention attn1;
    private final LayerNorm norm2;
    private final Attention attn2;
    private final LayerNorm norm3;
    private final FeedForward ff;

    public BasicTransformerBlock(StateDict weights, int heads, boolean onlyCrossAttention, boolean upcastAttention) {
        this.onlyCrossAttention = onlyCrossAttention;
        this.norm1 = new LayerNorm(weights.scope("norm1"), NORM_EPS);
        this.attn1 = new Attention(weights.scope("attn1"), heads, upcastAttention);
        this.norm2 = new LayerNorm(weights.scope("norm2"), NORM_EPS);
        this.attn2 = new Attention(weights.scope("attn2"), heads, upcastAttention);
        this.norm3 = new LayerNorm(weights.scope("norm3"), NORM_EPS);
        this.ff = new FeedForward(weights.scope("ff"));
    }

    /** Whether the fused transformer kernel can run this block (diffusers' default projections). */
    boolean fusable() {
        return attn1.fusable() && attn2.fusable() && ff.fusable();
    }

    /** Appends its 20 tensors in the order the fused kernel reads them: norm1, attn1, norm2, attn2, norm3, ff. */
    void appendTo(List<NDArray> weights) {
        norm1.appendTo(weights);
        attn1.appendTo(weights);
        norm2.appendTo(weights);
        attn2.appendTo(weights);
        norm3.appendTo(weights);
        ff.appendTo(weights);
    }

    /** {@code regions}: the attention couple of this block's grid, or null for the text alone. */
    public NDArray forward(NDArray hidden, NDArray text, RegionalText.Layer regions) {
        return Ops.scoped(hidden, () -> {
            NDArray h = attn1.forward(norm1.forward(hidden), onlyCrossAttention ? text : null).add(hidden);
            NDArray normed = norm2.forward(h);
            h = (regions == null ? attn2.forward(normed, text) : attn2.forwardCoupled(normed, text, regions)).add(h);
            return ff.forward(norm3.forward(h)).add(h);
        });
    }
}
