package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.fijigen.engine.weights.StateDict;
import java.util.ArrayList;
import java.util.List;

/**
 * diffusers' {@code DownBlock2D}: resnets, then a stride-2 downsampler except on the deepest
 * level. Every resnet's output and the downsampler's are skip connections for the up path.
 */
public class DownBlock2D {
    private final List<ResnetBlock2D> resnets;
    private final Downsample2D downsampler;

    public DownBlock2D(StateDict weights, BlockSettings settings) {
        this.resnets = settings.resnets(weights, settings.layers());
        this.downsampler = weights.has("downsamplers.0.conv.weight")
                ? new Downsample2D(weights.scope("downsamplers.0"), settings.downsamplePadding())
                : null;
    }

    /** Returns the block's output and appends its skip connections to {@code skips}. */
    public NDArray forward(NDArray input, NDArray temb, NDArray text, RegionalText regions, List<NDArray> skips) {
        NDManager outer = input.getManager();
        return Ops.scoped(input, () -> {
            List<NDArray> outputs = new ArrayList<>();
            NDArray h = input;
            for (int i = 0; i < resnets.size(); i++) {
                h = afterResnet(i, resnets.get(i).forward(h, temb), text, regions);
                outputs.add(h);
            }
            if (downsampler != null) {
                h = downsampler.forward(h);
                outputs.add(h);
            }
            for (NDArray output : outputs) {
                output.attach(outer);
            }
            skips.addAll(outputs);
            return h;
        });
    }

    /** What follows resnet {@code i}: nothing here, the cross-attention in the subclass. */
    protected NDArray afterResnet(int i, NDArray h, NDArray text, RegionalText regions) {
        return h;
    }
}
