package io.fijigen.engine.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * diffusers' {@code get_guidance_scale_embedding}, what a UNet with {@code time_cond_proj_dim} (an
 * LCM-distilled one) is given instead of classifier-free guidance: w = (guidance − 1)·1000 embedded
 * as [sin(w·f_i), cos(w·f_i)] with f_i = exp(−i·ln(10000)/(dim/2 − 1)), i &lt; dim/2, and a zero column
 * when dim is odd. In float32 tensor ops, as the reference: at w = 7000 the float32 rounding of the
 * argument alone moves sin by ~1e-4.
 */
final class GuidanceScaleEmbedding {
    private GuidanceScaleEmbedding() {}

    /** [batch, dim] float32, one identical row per image, in {@code manager}. */
    static NDArray of(double guidance, int dim, long batch, NDManager manager) {
        int half = dim / 2;
        try (NDManager scope = manager.newSubManager()) {
            // torch.tensor(guidance - 1) is float32 before the ·1000.
            NDArray w = scope.create((float) (guidance - 1)).mul(1000f);
            float rate = (float) Math.log(10000.0) / (half - 1);
            NDArray frequencies = scope.arange(0f, (float) half, 1f, DataType.FLOAT32).mul(-rate).exp();
            NDArray args = frequencies.mul(w);
            NDArray row = args.sin().concat(args.cos());
            if (dim % 2 == 1) {
                row = row.concat(scope.zeros(new Shape(1)));
            }
            NDArray embedding = row.expandDims(0).repeat(0, batch);
            embedding.attach(manager);
            return embedding;
        }
    }
}
