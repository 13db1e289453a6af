package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.weights.StateDict;
import java.util.List;

/**
 * diffusers' {@code TimestepEmbedding}: linear, SiLU, linear; with {@code cond_proj_dim}, a condition
 * (LCM's guidance-scale embedding) projected by {@code cond_proj} (no bias) is first added to the input.
 */
public final class TimestepEmbedding {
    private final Linear linear1;
    private final Linear linear2;
    private final Linear condProj;

    public TimestepEmbedding(StateDict weights) {
        this(weights, null);
    }

    /** @param condProjDim the condition's width, null for none */
    public TimestepEmbedding(StateDict weights, Integer condProjDim) {
        this.linear1 = Linear.load(weights.scope("linear_1"));
        this.linear2 = Linear.load(weights.scope("linear_2"));
        this.condProj = condProjDim == null ? null : Linear.load(weights.scope("cond_proj"));
    }

    /** The type of its weights, which its input takes. */
    DataType dtype() {
        return linear1.dtype();
    }

    /** Whether the fused kernel can run it: both layers biased, as diffusers builds them, and no condition. */
    boolean fusable() {
        return linear1.hasBias() && linear2.hasBias() && condProj == null;
    }

    /** Appends linear_1's then linear_2's weight and bias, the order the fused kernel reads them in. */
    void appendTo(List<NDArray> weights) {
        linear1.appendTo(weights);
        linear2.appendTo(weights);
    }

    public NDArray forward(NDArray x) {
        return forward(x, null);
    }

    /**
     * @param condition [B, cond_proj_dim], or null for none; it takes the weights' type, as the reference's
     *     pipelines cast it to the latents' type. It belongs to the caller (the job): its intermediates are
     *     made in this call's scope.
     */
    public NDArray forward(NDArray x, NDArray condition) {
        return Ops.scoped(x, () -> {
            NDArray input = x;
            if (condition != null) {
                if (condProj == null) {
                    throw new IllegalArgumentException("this model takes no timestep condition (it has no"
                            + " time_cond_proj_dim)");
                }
                condition.tempAttach(x.getManager());
                input = x.add(condProj.forward(condition.toType(dtype(), false)));
            }
            return linear2.forward(Ops.silu(linear1.forward(input)));
        });
    }
}
