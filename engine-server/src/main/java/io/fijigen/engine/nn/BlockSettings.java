package io.fijigen.engine.nn;

import io.fijigen.engine.weights.StateDict;

/**
 * The config values one UNet block is built with, resolved for its level (diffusers passes the
 * same list to {@code get_down_block} / {@code get_up_block} / the mid block).
 *
 * @param layers resnets in the block (transformer/resnet pairs for the mid block)
 * @param heads attention heads of its transformers
 * @param transformerLayers transformer blocks per {@code Transformer2DModel}
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
        boolean onlyCrossAttention) {

    Transformer2DModel transformer(StateDict weights) {
        return new Transformer2DModel(weights, heads, transformerLayers, groups, linearProjection, onlyCrossAttention);
    }
}
