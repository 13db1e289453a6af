package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import java.util.List;
import io.fijigen.engine.weights.StateDict;

/** torch.nn.GroupNorm with affine parameters. */
public final class GroupNorm {
    private final int groups;
    private final double eps;
    private final NDArray weight;
    private final NDArray bias;

    public GroupNorm(StateDict weights, int groups, double eps) {
        this.groups = groups;
        this.eps = eps;
        this.weight = weights.get("weight");
        this.bias = weights.get("bias");
    }

    public NDArray forward(NDArray x) {
        return Ops.groupNorm(x, groups, weight, bias, eps);
    }

    int groups() {
        return groups;
    }

    double eps() {
        return eps;
    }

    /** Appends the weight and bias, the order a fused kernel takes them in. */
    void appendTo(List<NDArray> weights) {
        weights.add(weight);
        weights.add(bias);
    }

    /** {@code silu(forward(x))}, fused where the kernels allow: how resnets and output heads use a norm. */
    public NDArray forwardSilu(NDArray x) {
        return Ops.groupNormSilu(x, groups, weight, bias, eps);
    }
}
