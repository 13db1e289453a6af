package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.weights.StateDict;
import java.util.ArrayList;
import java.util.List;

/**
 * diffusers' {@code ControlNetConditioningEmbedding}: a small conv stack taking the control image
 * (pixels) down to the latent grid: conv_in, then per level a 3×3 conv and a stride-2 3×3 conv,
 * each followed by SiLU, then the zero-initialised conv_out.
 */
public final class ControlNetConditioningEmbedding {
    private final Conv2d convIn;
    private final List<Conv2d> blocks = new ArrayList<>();
    private final Conv2d convOut;

    public ControlNetConditioningEmbedding(StateDict weights, int levels) {
        this.convIn = Conv2d.same(weights.scope("conv_in"));
        for (int i = 0; i < 2 * (levels - 1); i++) {
            StateDict block = weights.scope("blocks." + i);
            blocks.add(i % 2 == 0 ? Conv2d.same(block) : Conv2d.load(block, 2, 1));
        }
        this.convOut = Conv2d.same(weights.scope("conv_out"));
    }

    public NDArray forward(NDArray condition) {
        return Ops.scoped(condition, () -> {
            NDArray h = Ops.silu(convIn.forwardInput(condition));
            for (Conv2d block : blocks) {
                h = Ops.silu(block.forward(h));
            }
            return convOut.forward(h);
        });
    }
}
