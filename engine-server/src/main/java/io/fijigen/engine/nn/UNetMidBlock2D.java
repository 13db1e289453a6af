package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.weights.StateDict;

/**
 * diffusers' {@code UNetMidBlock2D} as the VAE uses it: resnet, single-head spatial attention
 * (unless {@code mid_block_add_attention} is false), resnet; no timestep.
 */
public final class UNetMidBlock2D {
    private final ResnetBlock2D first;
    private final Attention attention;
    private final ResnetBlock2D second;

    public UNetMidBlock2D(StateDict weights, int groups, double eps, boolean addAttention) {
        this.first = new ResnetBlock2D(weights.scope("resnets.0"), groups, eps, 1.0);
        this.attention = addAttention ? Attention.spatial(weights.scope("attentions.0"), groups, eps) : null;
        this.second = new ResnetBlock2D(weights.scope("resnets.1"), groups, eps, 1.0);
    }

    public NDArray forward(NDArray input) {
        return Ops.scoped(input, () -> {
            NDArray h = first.forward(input, null);
            if (attention != null) {
                h = attention.forwardSpatial(h);
            }
            return second.forward(h, null);
        });
    }
}
