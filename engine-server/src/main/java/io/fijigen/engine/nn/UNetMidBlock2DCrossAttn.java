package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.weights.StateDict;
import java.util.List;

/** diffusers' {@code UNetMidBlock2DCrossAttn}: resnet, then (transformer, resnet) pairs. */
public final class UNetMidBlock2DCrossAttn {
    private final List<ResnetBlock2D> resnets;
    private final List<Transformer2DModel> attentions;

    /** {@code settings.layers()} is the number of transformer/resnet pairs after the first resnet (1 in SD). */
    public UNetMidBlock2DCrossAttn(StateDict weights, BlockSettings settings) {
        this.resnets = settings.resnets(weights, settings.layers() + 1);
        this.attentions = settings.transformers(weights);
    }

    public NDArray forward(NDArray input, NDArray temb, NDArray text, RegionalText regions) {
        return Ops.scoped(input, () -> {
            NDArray h = resnets.get(0).forward(input, temb);
            for (int i = 0; i < attentions.size(); i++) {
                h = resnets.get(i + 1).forward(attentions.get(i).forward(h, text, regions), temb);
            }
            return h;
        });
    }
}
