package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.fijigen.engine.weights.StateDict;

/**
 * diffusers' {@code Downsample2D} with a convolution: 3×3, stride 2. With {@code padding} 0 (the
 * VAE encoder) the reference pads only right and bottom by one pixel before the conv, an
 * asymmetric pad that a symmetric conv padding would not reproduce.
 */
public final class Downsample2D {
    private final Conv2d conv;
    private final boolean padRightBottom;

    public Downsample2D(StateDict weights, int padding) {
        this.conv = Conv2d.load(weights.scope("conv"), 2, padding);
        this.padRightBottom = padding == 0;
    }

    public NDArray forward(NDArray x) {
        if (!padRightBottom) {
            return conv.forward(x);
        }
        return Ops.scoped(x, () -> conv.forward(padRightBottom(x)));
    }

    private static NDArray padRightBottom(NDArray x) {
        Shape shape = x.getShape();
        NDArray padded = x.getManager().zeros(
                new Shape(shape.get(0), shape.get(1), shape.get(2) + 1, shape.get(3) + 1), x.getDataType(),
                x.getDevice());
        padded.set(new NDIndex(":, :, :{}, :{}", shape.get(2), shape.get(3)), x);
        return padded;
    }
}
