package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import io.fijigen.engine.weights.Parameter;
import io.fijigen.engine.weights.StateDict;

/**
 * torch.nn.Linear: y = x·Wᵀ + b over the last axis; the bias is optional, as in diffusers. The
 * weight is a {@link Parameter}, so LoRAs can be merged into it.
 */
public final class Linear {
    private final Parameter weight;
    private final NDArray bias;

    private Linear(Parameter weight, NDArray bias) {
        this.weight = weight;
        this.bias = bias;
    }

    public static Linear load(StateDict weights) {
        return new Linear(weights.parameter("weight"), weights.has("bias") ? weights.get("bias") : null);
    }

    public NDArray forward(NDArray x) {
        return Ops.linear(x, weight.get(), bias);
    }

    DataType dtype() {
        return weight.get().getDataType();
    }

    boolean hasBias() {
        return bias != null;
    }

    /** Appends the weight (as LoRAs have left it) and the bias if any, the order a fused kernel takes them in. */
    void appendTo(List<NDArray> weights) {
        weights.add(weight.get());
        if (bias != null) {
            weights.add(bias);
        }
    }

    /** This projection followed by GEGLU ({@link Ops#geglu}), one kernel where the kernels allow. */
    public NDArray geglu(NDArray x) {
        return Ops.geglu(x, weight.get(), bias);
    }
}
