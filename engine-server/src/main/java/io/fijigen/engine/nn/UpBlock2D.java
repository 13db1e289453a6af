package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.weights.StateDict;
import java.util.ArrayList;
import java.util.List;

/**
 * diffusers' {@code UpBlock2D}: each resnet takes the running features concatenated with the
 * newest skip connection; then a nearest-neighbour upsampler except on the top level.
 */
public class UpBlock2D {
    private final List<ResnetBlock2D> resnets = new ArrayList<>();
    private final Upsample2D upsampler;

    public UpBlock2D(StateDict weights, BlockSettings settings) {
        for (int i = 0; i < settings.layers(); i++) {
            resnets.add(new ResnetBlock2D(weights.scope("resnets." + i), settings.groups(), settings.eps(),
                    settings.outputScaleFactor()));
        }
        this.upsampler = weights.has("upsamplers.0.conv.weight") ? new Upsample2D(weights.scope("upsamplers.0")) : null;
    }

    public int skipCount() {
        return resnets.size();
    }

    /**
     * Takes one skip connection per resnet off the end of {@code skips}. {@code upsampleSize} is
     * the (height, width) the upsampler must reach: the next skip's, so odd sizes line up.
     */
    public NDArray forward(NDArray input, NDArray temb, NDArray text, List<NDArray> skips, long[] upsampleSize) {
        return Ops.scoped(input, () -> {
            NDArray h = input;
            for (int i = 0; i < resnets.size(); i++) {
                NDArray skip = skips.remove(skips.size() - 1);
                h = afterResnet(i, resnets.get(i).forward(h.concat(skip, 1), temb), text);
            }
            if (upsampler != null) {
                h = upsampler.forward(h, upsampleSize[0], upsampleSize[1]);
            }
            return h;
        });
    }

    /** What follows resnet {@code i}: nothing here, the cross-attention in the subclass. */
    protected NDArray afterResnet(int i, NDArray h, NDArray text) {
        return h;
    }
}
