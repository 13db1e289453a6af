package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * What a ControlNet adds to the UNet: one residual per down-path skip connection
 * ({@code down_block_additional_residuals}) and one for the mid block's output
 * ({@code mid_block_additional_residual}).
 */
public record UNetResiduals(List<NDArray> down, NDArray mid) {}
