package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.weights.StateDict;
import java.util.List;

/** diffusers' {@code TimestepEmbedding}: linear, SiLU, linear. */
public final class TimestepEmbedding {
    private final Linear linear1;
    private final Linear linear2;

    public TimestepEmbedding(StateDict weights) {
        this.linear1 = Linear.load(weights.scope("linear_1"));
        this.linear2 = Linear.load(weights.scope("linear_2"));
    }

    /** The type of its weights, which its input takes. */
    DataType dtype() {
        return linear1.dtype();
    }

    /** Whether the fused kernel can run it: both layers biased, as diffusers builds them. */
    boolean fusable() {
        return linear1.hasBias() && linear2.hasBias();
    }

    /** Appends linear_1's then linear_2's weight and bias, the order the fused kernel reads them in. */
    void appendTo(List<NDArray> weights) {
        linear1.appendTo(weights);
        linear2.appendTo(weights);
    }

    public NDArray forward(NDArray x) {
        return Ops.scoped(x, () -> linear2.forward(Ops.silu(linear1.forward(x))));
    }
}
