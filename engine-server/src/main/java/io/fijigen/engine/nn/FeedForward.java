package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
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
        return Ops.scoped(x, () -> out.forward(proj.geglu(x)));
    }
}
