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
        NDArray h = hidden;
        for (int i = 0; i < count; i++) {
            h = layers.get(i).forward(h, attentionMask);
        }
        return h;
    }
}
