package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.weights.StateDict;

/** transformers' {@code CLIPAttention}: q/k/v/out projections with biases; the
 * additive mask (causal for text, none for images) is given by the caller. In the weights' type,
 * as transformers computes it: CLIP configs have no upcast. */
public final class CLIPAttention {
    private final int heads;
    private final Linear qProj;
    private final Linear kProj;
    private final Linear vProj;
    private final Linear outProj;

    public CLIPAttention(StateDict weights, int heads) {
        this.heads = heads;
        this.qProj = Linear.load(weights.scope("q_proj"));
        this.kProj = Linear.load(weights.scope("k_proj"));
        this.vProj = Linear.load(weights.scope("v_proj"));
        this.outProj = Linear.load(weights.scope("out_proj"));
    }

    public NDArray forward(NDArray hidden, NDArray attentionMask) {
        return Ops.scoped(hidden, () -> outProj.forward(
                Ops.attention(qProj.forward(hidden), kProj.forward(hidden), vProj.forward(hidden), heads, attentionMask,
                        false)));
    }
}
