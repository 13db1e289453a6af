package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.weights.StateDict;
import java.util.List;

/** diffusers' {@code DownEncoderBlock2D} (VAE encoder): resnets without timestep, then a downsampler. */
public final class DownEncoderBlock2D {
    private final List<ResnetBlock2D> resnets;
    private final Downsample2D downsampler;

    public DownEncoderBlock2D(StateDict weights, int layers, int groups, double eps) {
        this.resnets = ResnetBlock2D.stack(weights, layers, groups, eps, 1.0);
        // The VAE's downsampler has padding 0: the reference pads right/bottom instead.
        this.downsampler = weights.has("downsamplers.0.conv.weight")
                ? new Downsample2D(weights.scope("downsamplers.0"), 0)
                : null;
    }

    public NDArray forward(NDArray input) {
        return Ops.scoped(input, () -> {
            NDArray h = input;
            for (ResnetBlock2D resnet : resnets) {
                h = resnet.forward(h, null);
            }
            return downsampler == null ? h : downsampler.forward(h);
        });
    }
}
