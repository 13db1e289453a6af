package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.weights.StateDict;
import java.util.List;

/** diffusers' {@code UpDecoderBlock2D} (VAE decoder): resnets without timestep, then an upsampler. */
public final class UpDecoderBlock2D {
    private final List<ResnetBlock2D> resnets;
    private final Upsample2D upsampler;

    public UpDecoderBlock2D(StateDict weights, int layers, int groups, double eps) {
        this.resnets = ResnetBlock2D.stack(weights, layers, groups, eps, 1.0);
        this.upsampler = weights.has("upsamplers.0.conv.weight") ? new Upsample2D(weights.scope("upsamplers.0")) : null;
    }

    public NDArray forward(NDArray input) {
        return Ops.scoped(input, () -> {
            NDArray h = input;
            for (ResnetBlock2D resnet : resnets) {
                h = resnet.forward(h, null);
            }
            return upsampler == null ? h : upsampler.forward(h);
        });
    }
}
