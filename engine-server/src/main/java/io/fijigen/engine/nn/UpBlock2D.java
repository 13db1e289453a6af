package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.weights.StateDict;
import java.util.List;

/**
 * diffusers' {@code UpBlock2D}: each resnet takes the running features concatenated with the
 * newest skip connection; then a nearest-neighbour upsampler except on the top level.
 */
public class UpBlock2D {
    private final List<ResnetBlock2D> resnets;
    private final Upsample2D upsampler;

    public UpBlock2D(StateDict weights, BlockSettings settings) {
        this.resnets = settings.resnets(weights, settings.layers());
        this.upsampler = weights.has("upsamplers.0.conv.weight") ? new Upsample2D(weights.scope("upsamplers.0")) : null;
    }

    public int skipCount() {
        return resnets.size();
    }

    /**
     * Takes one skip connection per resnet off the end of {@code skips}. {@code upsampleSize} is
     * the (height, width) the upsampler must reach: the next skip's, so odd sizes line up.
     */
    public NDArray forward(NDArray input, NDArray temb, NDArray text, RegionalText regions, List<NDArray> skips,
            long[] upsampleSize) {
        return Ops.scoped(input, () -> {
            NDArray h = input;
            for (int i = 0; i < resnets.size(); i++) {
                NDArray skip = skips.remove(skips.size() - 1);
                h = afterResnet(i, resnets.get(i).forward(h.concat(skip, 1), temb), text, regions);
            }
            if (upsampler != null) {
                h = upsampler.forward(h, upsampleSize[0], upsampleSize[1]);
            }
            return h;
        });
    }

    /** What follows resnet {@code i}: nothing here, the cross-attention in the subclass. */
    protected NDArray afterResnet(int i, NDArray h, NDArray text, RegionalText regions) {
        return h;
    }
}
