package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.weights.StateDict;

/** diffusers' {@code TimestepEmbedding}: linear, SiLU, linear. */
public final class TimestepEmbedding {
    private final Linear linear1;
    private final Linear linear2;

    public TimestepEmbedding(StateDict weights) {
        this.linear1 = Linear.load(weights.scope("linear_1"));
        this.linear2 = Linear.load(weights.scope("linear_2"));
    }

    public NDArray forward(NDArray x) {
        return Ops.scoped(x, () -> linear2.forward(Ops.silu(linear1.forward(x))));
    }
}
