package io.fijigen.engine.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.fijigen.engine.nn.AddedConditions;
import io.fijigen.engine.nn.RegionalText;

/**
 * What the prompt gives the UNet (and each ControlNet) at every step: the text embeddings and, for
 * SDXL, the added conditions (pooled text and time ids). With guidance each holds the
 * unconditional rows first, as the reference concatenates {@code [negative, positive]}.
 *
 * @param text [B or 2B, 77·n, cross_attention_dim]
 * @param added SDXL's {@code added_cond_kwargs}, or null for SD 1.x/2.x
 * @param regions regional prompts for the UNet's cross-attention (never a ControlNet's), or null
 */
public record Conditioning(NDArray text, AddedConditions added, RegionalText regions) {

    public Conditioning(NDArray text, AddedConditions added) {
        this(text, added, null);
    }

    /** The conditional half of a guidance batch (guess mode), its arrays in {@code step}; no regions. */
    Conditioning conditionalHalf(NDManager step) {
        return new Conditioning(secondHalf(text, step), added == null ? null
                : new AddedConditions(secondHalf(added.textEmbeds(), step), secondHalf(added.timeIds(), step)));
    }

    /** The conditional half of any guidance batch ([negative; positive] along the batch axis), in {@code step}. */
    static NDArray secondHalf(NDArray batch, NDManager step) {
        NDArray part = batch.get(new NDIndex("{}:", batch.getShape().get(0) / 2));
        part.attach(step);
        return part;
    }
}
