package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import java.util.List;
import io.fijigen.engine.weights.StateDict;

/** torch.nn.LayerNorm over the last axis, with affine parameters. */
public final class LayerNorm {
    private final double eps;
    private final NDArray weight;
    private final NDArray bias;

    public LayerNorm(StateDict weights, double eps) {
        this.eps = eps;
        this.weight = weights.get("weight");
        this.bias = weights.get("bias");
    }

    public NDArray forward(NDArray x) {
        return Ops.layerNorm(x, weight, bias, eps);
    }

    /** Appends the weight and bias, the order a fused kernel takes them in. */
    void appendTo(List<NDArray> weights) {
        weights.add(weight);
        weights.add(bias);
    }
}
