package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.weights.StateDict;

/**
 * diffusers' {@code Upsample2D} with a convolution: nearest-neighbour ×2, then a 3×3 conv. The
 * UNet passes the skip connection's size when the latent size is not a multiple of the total
 * downscale, so the two line up again.
 */
public final class Upsample2D {
    private final Conv2d conv;

    public Upsample2D(StateDict weights) {
        this.conv = Conv2d.same(weights.scope("conv"));
    }

    public NDArray forward(NDArray x) {
        return forward(x, x.getShape().get(2) * 2, x.getShape().get(3) * 2);
    }

    public NDArray forward(NDArray x, long height, long width) {
        return Ops.scoped(x, () -> conv.forward(Ops.upsampleNearest(x, height, width)));
    }
}
