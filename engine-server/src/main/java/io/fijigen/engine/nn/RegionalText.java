package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;

/**
 * Regional prompts as an attention couple (ComfyUI's and Krita's regions): in every
 * cross-attention layer the conditional rows attend to each text group separately and the results
 * are mixed by {@link RegionMasks}' weights at that layer's grid. The unconditional rows (the
 * first ones of a guidance batch) attend to their own text as without regions.
 */
public final class RegionalText {
    private final NDArray contexts;
    private final RegionMasks masks;
    /**
     * Per grid and type, made once in the contexts' manager (the job's): a UNet has a few grids, asked
     * for by every transformer at every step, and each would otherwise copy its weights to the device.
     */
    private final Map<String, Layer> layers = new HashMap<>();

    /**
     * @param contexts [groups·B, 77·n, D]: the text of group 0 (the base prompt) for the B conditional
     *     rows, then each region group's, group after group
     * @param masks the weights of each group at every grid
     */
    public RegionalText(NDArray contexts, RegionMasks masks) {
        this.contexts = contexts;
        this.masks = masks;
    }

    /** What one cross-attention layer mixes with: the contexts and the weights [groups, 1, h·w, 1]. */
    record Layer(NDArray contexts, NDArray weights) {}

    /** The weights of a layer whose grid is {@code height}×{@code width}, in {@code type}. */
    synchronized Layer at(long height, long width, DataType type) {
        return layers.computeIfAbsent(height + "x" + width + " " + type, key -> {
            float[][] weights = masks.weights((int) height, (int) width);
            int positions = weights[0].length;
            float[] flat = new float[weights.length * positions];
            for (int g = 0; g < weights.length; g++) {
                System.arraycopy(weights[g], 0, flat, g * positions, positions);
            }
            NDArray array = contexts.getManager().create(flat, new Shape(weights.length, 1, positions, 1));
            return new Layer(contexts, type == DataType.FLOAT32 ? array : array.toType(type, false));
        });
    }
}
