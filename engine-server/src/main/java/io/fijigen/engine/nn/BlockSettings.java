package io.fijigen.engine.nn;

import io.fijigen.engine.weights.StateDict;
import java.util.ArrayList;
import java.util.List;

/**
 * The config values one UNet block is built with, resolved for its level (diffusers passes the
 * same list to {@code get_down_block} / {@code get_up_block} / the mid block).
 *
 * @param layers resnets in the block (transformer/resnet pairs for the mid block)
 * @param heads attention heads of its transformers
 * @param transformerLayers transformer blocks per {@code Transformer2DModel}
 * @param upcastAttention attention in float32 whatever the weights' type (the config's {@code upcast_attention})
 */
public record BlockSettings(
        int layers,
        int groups,
        double eps,
        double outputScaleFactor,
        int downsamplePadding,
        int heads,
        int transformerLayers,
        boolean linearProjection,
        boolean onlyCrossAttention,
        boolean upcastAttention) {

    /** The block's {@code resnets.i}, one per layer (one more than the pairs in a mid block: pass that count). */
    List<ResnetBlock2D> resnets(StateDict weights, int count) {
        return ResnetBlock2D.stack(weights, count, groups, eps, outputScaleFactor);
    }

    /** The block's {@code attentions.i}, one transformer per layer. */
    List<Transformer2DModel> transformers(StateDict weights) {
        List<Transformer2DModel> transformers = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            transformers.add(new Transformer2DModel(weights.scope("attentions." + i), heads, transformerLayers, groups,
                    linearProjection, onlyCrossAttention, upcastAttention));
        }
        return transformers;
    }
}
