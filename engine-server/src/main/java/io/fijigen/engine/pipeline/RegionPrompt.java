package io.fijigen.engine.pipeline;

import io.fijigen.engine.tensor.HostTensor;

/**
 * A regional prompt: where (a grey mask at the image's size), what (its own prompt) and how much
 * (its weight against the base prompt and the other regions). The rule that mixes them is {@link
 * io.fijigen.engine.nn.RegionMasks}'.
 *
 * @param mask [1, 1, H, W] in [0, 1] at the generated (or init) image's size; 1 = fully this region
 * @param prompt the region's prompt, with the base prompt's syntax (weights, BREAK, embeddings)
 * @param weight in (0, 10]; 1 weighs the region as the base prompt where both would apply
 */
public record RegionPrompt(HostTensor mask, String prompt, double weight) {
    /** The weight a region takes when none is given. */
    public static final double DEFAULT_WEIGHT = 1;
}
