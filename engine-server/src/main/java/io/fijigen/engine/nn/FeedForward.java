package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.fijigen.engine.weights.StateDict;

/**
 * diffusers' {@code FeedForward} with the GEGLU activation: {@code net.0.proj} doubles the width,
 * one half gates the other through GELU, {@code net.2} projects back.
 */
public final class FeedForward {
    private final Linear proj;
    private final Linear out;

    public FeedForward(StateDict weights) {
        this.proj = Linear.load(weights.scope("net.0.proj"));
        this.out = Linear.load(weights.scope("net.2"));
    }

    public NDArray forward(NDArray x) {
        return Ops.scoped(x, () -> {
            NDArray projected = proj.forward(x);
            NDList halves = projected.split(2, projected.getShape().dimension() - 1);
            return out.forward(halves.get(0).mul(Ops.gelu(halves.get(1))));
        });
    }
}
