package io.fijigen.engine.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.fijigen.engine.text.PromptChunk;

/**
 * The web UI's "Original" emphasis ({@code EmphasisOriginal} of AUTOMATIC1111's {@code
 * sd_emphasis.py}): each token's encoding times its weight, then the whole chunk rescaled so that
 * its mean is the unweighted mean again, in the encoding's precision.
 */
final class PromptEmphasis {
    private PromptEmphasis() {}

    /** {@code encoding} re-weighted by {@code chunk}'s weights, or as it is when they are all 1. */
    static NDArray apply(NDArray encoding, PromptChunk chunk) {
        // Weights of 1 would leave the chunk as it is (z·1 = z, m/m = 1), short of a 0/0 where its
        // mean is exactly 0; skipping them keeps plain prompts bit for bit.
        return chunk.isWeighted() ? apply(encoding, chunk.weights()) : encoding;
    }

    /**
     * @param encoding one chunk's text encoding [1, T, D]
     * @param weights one weight per token, T of them
     */
    static NDArray apply(NDArray encoding, float[] weights) {
        long tokens = encoding.getShape().get(1);
        if (weights.length != tokens) {
            throw new IllegalArgumentException(weights.length + " weights for " + tokens + " tokens");
        }
        NDArray perToken = encoding.getManager().create(weights, new Shape(1, tokens, 1))
                .toType(encoding.getDataType(), false);
        NDArray originalMean = encoding.mean();
        NDArray scaled = encoding.mul(perToken);
        return scaled.mul(originalMean.div(scaled.mean()));
    }
}
