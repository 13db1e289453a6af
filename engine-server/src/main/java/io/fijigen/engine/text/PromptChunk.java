package io.fijigen.engine.text;

import java.util.Arrays;

/**
 * One text-encoder input of a prompt: {@code model_max_length} (77) token ids, BOS first, EOS
 * after the content, then padding, and one weight per token (1 for BOS, EOS and padding).
 */
public record PromptChunk(long[] ids, float[] weights) {

    public PromptChunk {
        if (ids.length != weights.length) {
            throw new IllegalArgumentException(ids.length + " ids but " + weights.length + " weights");
        }
    }

    static PromptChunk unweighted(long[] ids) {
        float[] ones = new float[ids.length];
        Arrays.fill(ones, 1f);
        return new PromptChunk(ids, ones);
    }

    /** Whether any token's weight differs from 1, so the encoding must be re-weighted. */
    public boolean isWeighted() {
        for (float weight : weights) {
            if (weight != 1f) {
                return true;
            }
        }
        return false;
    }

    public int length() {
        return ids.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PromptChunk chunk && Arrays.equals(ids, chunk.ids)
                && Arrays.equals(weights, chunk.weights);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ids) + Arrays.hashCode(weights);
    }

    @Override
    public String toString() {
        return "PromptChunk" + Arrays.toString(ids) + " weights " + Arrays.toString(weights);
    }
}
