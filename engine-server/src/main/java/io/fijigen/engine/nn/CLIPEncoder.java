package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.weights.StateDict;
import java.util.ArrayList;
import java.util.List;

/**
 * transformers' {@code CLIPEncoder}: the stack of {@link CLIPEncoderLayer}s that CLIP's text and
 * vision towers share (the text tower masks causally, the vision tower not at all).
 */
public final class CLIPEncoder {
    private final List<CLIPEncoderLayer> layers = new ArrayList<>();

    /** {@code hiddenAct} is the config's {@code hidden_act}: "quick_gelu" or "gelu". */
    public CLIPEncoder(StateDict weights, int numLayers, int heads, double eps, String hiddenAct) {
        boolean quickGelu = hiddenAct.equals("quick_gelu");
        for (int i = 0; i < numLayers; i++) {
            layers.add(new CLIPEncoderLayer(weights.scope("layers." + i), heads, eps, quickGelu));
        }
    }

    public int numLayers() {
        return layers.size();
    }

    /** The hidden states after the first {@code count} layers; {@code attentionMask} is additive, or null for none. */
    public NDArray forward(NDArray hidden, NDArray attentionMask, int count) {
        return forward(hidden, attentionMask, 0, count);
    }

    /** Layers {@code from} (inclusive) to {@code to} (exclusive) on {@code hidden}, the output of layer {@code from − 1}. */
    public NDArray forward(NDArray hidden, NDArray attentionMask, int from, int to) {
        NDArray h = hidden;
        for (int i = from; i < to; i++) {
            h = layers.get(i).forward(h, attentionMask);
        }
        return h;
    }
}
