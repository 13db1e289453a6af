package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import java.util.List;
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

    boolean fusable() {
        return proj.hasBias() && out.hasBias();
    }

    /** Appends net.0.proj's and net.2's weight and bias. */
    void appendTo(List<NDArray> weights) {
        proj.appendTo(weights);
        out.appendTo(weights);
    }

    public NDArray forward(NDArray x) {
        return Ops.scoped(x, () -> out.forward(proj.geglu(x)));
    }
}
