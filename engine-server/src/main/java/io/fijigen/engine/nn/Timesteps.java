package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * diffusers' {@code Timesteps}: the sinusoidal embedding of the timestep
 * ({@code get_timestep_embedding}). Computed with the same float32 tensor ops as the reference, not
 * in Java doubles: at t = 999 the argument's float32 rounding alone moves sin by ~3e-5. The
 * frequencies are made once, with the model, not on every step.
 */
public final class Timesteps {
    private static final double MAX_PERIOD = 10000;

    private final int dim;
    private final boolean flipSinToCos;
    /** exp(−ln(10000)·i / (dim/2 − freq_shift)), [1, dim/2] float32 on the model's device. */
    private final NDArray frequencies;

    /** @param manager the model's: the frequencies live as long as it */
    public Timesteps(int dim, boolean flipSinToCos, int freqShift, NDManager manager) {
        this.dim = dim;
        this.flipSinToCos = flipSinToCos;
        int half = dim / 2;
        try (NDManager scope = manager.newSubManager()) {
            NDArray exponent = scope.arange(0f, (float) half, 1f, DataType.FLOAT32)
                    .mul(-Math.log(MAX_PERIOD))
                    .div(half - freqShift);
            this.frequencies = exponent.exp().expandDims(0);
            frequencies.attach(manager);
        }
    }

    /** {@code timesteps} is [B]; returns [B, dim] in float32 (the caller casts it to the sample's type). */
    public NDArray forward(NDArray timesteps) {
        return Ops.scoped(timesteps, () -> {
            NDArray args = timesteps.toType(DataType.FLOAT32, false).expandDims(1).mul(frequencies);
            NDArray sin = args.sin();
            NDArray cos = args.cos();
            NDArray emb = flipSinToCos ? cos.concat(sin, 1) : sin.concat(cos, 1);
            if (dim % 2 == 1) {
                emb = emb.concat(timesteps.getManager().zeros(new Shape(emb.getShape().get(0), 1)), 1);
            }
            return emb;
        });
    }

    /** Whether the fused time-embedding kernel computes it: an even dimension, no padding column. */
    boolean fusable() {
        return dim % 2 == 0;
    }

    NDArray frequencies() {
        return frequencies;
    }

    boolean flipSinToCos() {
        return flipSinToCos;
    }
}
