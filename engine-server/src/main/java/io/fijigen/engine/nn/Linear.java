package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.weights.StateDict;

/** torch.nn.Linear: y = x·Wᵀ + b over the last axis; the bias is optional, as in diffusers. */
public final class Linear {
    private final NDArray weight;
    private final NDArray bias;

    private Linear(NDArray weight, NDArray bias) {
        this.weight = weight;
        this.bias = bias;
    }

    public static Linear load(StateDict weights) {
        return new Linear(weights.get("weight"), weights.has("bias") ? weights.get("bias") : null);
    }

    public NDArray forward(NDArray x) {
        return Ops.linear(x, weight, bias);
    }
}
