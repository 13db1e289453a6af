package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * diffusers' {@code Timesteps}: the sinusoidal embedding of the timestep
 * ({@code get_timestep_embedding}). Computed with the same float32 tensor ops as the reference, not
 * in Java doubles: at t = 999 the argument's float32 rounding alone moves sin by ~3e-5.
 */
public final class Timesteps {
    private static final double MAX_PERIOD = 10000;

    private final int dim;
    private final boolean flipSinToCos;
    private final int freqShift;

    public Timesteps(int dim, boolean flipSinToCos, int freqShift) {
        this.dim = dim;
        this.flipSinToCos = flipSinToCos;
        this.freqShift = freqShift;
    }

    /** {@code timesteps} is [B]; returns [B, dim]. */
    public NDArray forward(NDArray timesteps) {
        int half = dim / 2;
        return Ops.scoped(timesteps, () -> {
            NDManager manager = timesteps.getManager();
            NDArray exponent = manager.arange(0f, (float) half, 1f, DataType.FLOAT32)
                    .mul(-Math.log(MAX_PERIOD))
                    .div(half - freqShift);
            NDArray args = timesteps.toType(DataType.FLOAT32, false).expandDims(1).mul(exponent.exp().expandDims(0));
            NDArray sin = args.sin();
            NDArray cos = args.cos();
            NDArray emb = flipSinToCos ? cos.concat(sin, 1) : sin.concat(cos, 1);
            if (dim % 2 == 1) {
                emb = emb.concat(manager.zeros(new ai.djl.ndarray.types.Shape(emb.getShape().get(0), 1)), 1);
            }
            return emb;
        });
    }
}
