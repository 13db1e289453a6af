package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.fijigen.engine.weights.StateDict;
import java.util.ArrayList;
import java.util.List;

/**
 * diffusers' {@code Transformer2DModel} on continuous input: group norm, {@code proj_in} (a 1×1
 * conv, or a linear layer on tokens with {@code use_linear_projection}), transformer blocks over
 * the H·W tokens, {@code proj_out} the same way back, plus the input.
 */
public final class Transformer2DModel {
    private static final double NORM_EPS = 1e-6;

    private final GroupNorm norm;
    private final boolean linearProjection;
    private final Conv2d projInConv;
    private final Linear projInLinear;
    private final List<BasicTransformerBlock> blocks = new ArrayList<>();
    private final Conv2d projOutConv;
    private final Linear projOutLinear;
    private final int heads;
    private final boolean onlyCrossAttention;
    private final boolean upcastAttention;
    /** Whether the fused kernel can run it: diffusers' default blocks and biased projections. */
    private final boolean fusable;

    public Transformer2DModel(StateDict weights, int heads, int layers, int groups, boolean linearProjection,
            boolean onlyCrossAttention, boolean upcastAttention) {
        this.norm = new GroupNorm(weights.scope("norm"), groups, NORM_EPS);
        this.linearProjection = linearProjection;
        this.projInConv = linearProjection ? null : Conv2d.same(weights.scope("proj_in"));
        this.projInLinear = linearProjection ? Linear.load(weights.scope("proj_in")) : null;
        for (int i = 0; i < layers; i++) {
            blocks.add(new BasicTransformerBlock(weights.scope("transformer_blocks." + i), heads, onlyCrossAttention,
                    upcastAttention));
        }
        this.projOutConv = linearProjection ? null : Conv2d.same(weights.scope("proj_out"));
        this.projOutLinear = linearProjection ? Linear.load(weights.scope("proj_out")) : null;
        this.heads = heads;
        this.onlyCrossAttention = onlyCrossAttention;
        this.upcastAttention = upcastAttention;
        boolean projections = linearProjection ? projInLinear.hasBias() && projOutLinear.hasBias()
                : projInConv.isSame(1) && projOutConv.isSame(1);
        this.fusable = projections && !blocks.isEmpty() && blocks.stream().allMatch(BasicTransformerBlock::fusable);
    }

    /**
     * @param regions regional prompts, or null; with them the blocks run op by op (the fused
     *     kernel knows one text only), attention itself still through {@link Ops#attention}
     */
    public NDArray forward(NDArray image, NDArray text, RegionalText regions) {
        TorchScriptKernels fused = Ops.blockKernels();
        if (fused != null && fusable && regions == null) {
            List<NDArray> weights = new ArrayList<>();
            norm.appendTo(weights);
            if (linearProjection) {
                projInLinear.appendTo(weights);
            } else {
                projInConv.appendTo(weights);
            }
            blocks.forEach(block -> block.appendTo(weights));
            if (linearProjection) {
                projOutLinear.appendTo(weights);
            } else {
                projOutConv.appendTo(weights);
            }
            return fused.transformer2d(image, text, weights, norm.groups(), heads, blocks.size(), linearProjection,
                    onlyCrossAttention, upcastAttention);
        }
        Shape shape = image.getShape();
        long batch = shape.get(0);
        long height = shape.get(2);
        long width = shape.get(3);
        return Ops.scoped(image, () -> {
            NDArray h = norm.forward(image);
            if (!linearProjection) {
                h = projInConv.forward(h);
            }
            long inner = h.getShape().get(1);
            h = h.transpose(0, 2, 3, 1).reshape(batch, height * width, inner);
            if (linearProjection) {
                h = projInLinear.forward(h);
            }
            RegionalText.Layer layer = regions == null ? null
                    : regions.at(height, width, h.getDataType());
            for (BasicTransformerBlock block : blocks) {
                h = block.forward(h, text, layer);
            }
            if (linearProjection) {
                h = projOutLinear.forward(h);
            }
            h = h.reshape(batch, height, width, inner).transpose(0, 3, 1, 2);
            if (!linearProjection) {
                h = projOutConv.forward(h);
            }
            return h.add(image);
        });
    }
}
