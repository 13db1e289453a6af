package io.fijigen.engine.pipeline;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * What the text encoders give regional prompts: the cross-attention contexts of the conditional
 * rows per text group ({@link RegionTexts}) and each region's group.
 *
 * @param contexts [groups·B, 77·n, D]: the base prompt's B rows, then each distinct region text's;
 *     null when every region has the base prompt's text (then the plain path runs)
 * @param groupOf each region's group, 0 for the base prompt's text
 */
record RegionContexts(NDArray contexts, int[] groupOf) {
    /** The base's embeddings [B, 77·n, D] followed by each distinct region text's (these closed here). */
    static RegionContexts of(NDArray base, List<NDArray> distinct, int[] groupOf) {
        if (distinct.isEmpty()) {
            return new RegionContexts(null, groupOf);
        }
        NDArray contexts = base;
        for (NDArray region : distinct) {
            contexts = contexts.concat(region, 0);
            region.close();
        }
        return new RegionContexts(contexts, groupOf);
    }
}
