package io.fijigen.engine.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * Regional prompts grouped by their text as the tokenizer reads it (ids and weights, so spacing
 * and case the tokenizer ignores do not split a group): group 0 is the base prompt's text, each
 * other distinct text a group of its own, in order of first use. Regions of one group share one
 * embedding and their masks add up ({@code Σ m·A = (Σ m)·A}): a region with the base prompt's text
 * joins the base, so regions that all repeat it leave the plain generation, bit for bit.
 *
 * @param distinct the texts of groups 1, 2, …
 * @param groupOf each region's group
 */
record RegionTexts<T>(List<T> distinct, int[] groupOf) {

    static <T> RegionTexts<T> of(T base, List<T> regions) {
        List<T> distinct = new ArrayList<>();
        int[] groupOf = new int[regions.size()];
        for (int r = 0; r < regions.size(); r++) {
            T text = regions.get(r);
            int known = distinct.indexOf(text);
            if (text.equals(base)) {
                groupOf[r] = 0;
            } else if (known >= 0) {
                groupOf[r] = known + 1;
            } else {
                distinct.add(text);
                groupOf[r] = distinct.size();
            }
        }
        return new RegionTexts<>(List.copyOf(distinct), groupOf);
    }

    /** The base and the distinct region texts. */
    int groups() {
        return 1 + distinct.size();
    }
}
