package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;

/**
 * diffusers' {@code added_cond_kwargs} for a UNet or ControlNet with {@code addition_embed_type
 * "text_time"} (SDXL): what conditions the timestep embedding besides the timestep.
 *
 * @param textEmbeds [B, pooled width]: the second text encoder's {@code text_embeds}
 * @param timeIds [B, n] floats: {@code [orig_h, orig_w, crop_top, crop_left, target_h, target_w]}
 *     for SDXL base (n = 6)
 */
public record AddedConditions(NDArray textEmbeds, NDArray timeIds) {}
