package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.fijigen.engine.weights.StateDict;
import java.util.List;

/**
 * diffusers' {@code Attention} (with the scaled-dot-product processor): projections {@code to_q},
 * {@code to_k}, {@code to_v}, {@code to_out.0}. Self-attention when no context is given,
 * cross-attention on the text otherwise.
 *
 * <p>The VAE's mid-block attention is the same class with a {@code group_norm} and a residual
 * connection, applied to an image: the reference flattens [B, C, H, W] to [B, H·W, C] around it.
 */
public final class Attention {
    private final int heads;
    private final boolean upcast;
    private final Linear toQ;
    private final Linear toK;
    private final Linear toV;
    private final Linear toOut;
    private final GroupNorm groupNorm;

    /** Attention over tokens, as in a transformer block; {@code upcast}: the UNet config's upcast_attention. */
    public Attention(StateDict weights, int heads, boolean upcast) {
        this(weights, heads, upcast, null);
    }

    private Attention(StateDict weights, int heads, boolean upcast, GroupNorm groupNorm) {
        this.heads = heads;
        this.upcast = upcast;
        this.toQ = Linear.load(weights.scope("to_q"));
        this.toK = Linear.load(weights.scope("to_k"));
        this.toV = Linear.load(weights.scope("to_v"));
        this.toOut = Linear.load(weights.scope("to_out.0"));
        this.groupNorm = groupNorm;
    }

    /** Whether a fused kernel can run it: unbiased q/k/v projections and a biased output one, as diffusers' default. */
    boolean fusable() {
        return !toQ.hasBias() && !toK.hasBias() && !toV.hasBias() && toOut.hasBias() && groupNorm == null;
    }

    /** Appends to_q, to_k, to_v, to_out.0 weights and to_out.0's bias. */
    void appendTo(List<NDArray> weights) {
        toQ.appendTo(weights);
        toK.appendTo(weights);
        toV.appendTo(weights);
        toOut.appendTo(weights);
    }

    /**
     * The VAE's single-head spatial self-attention with group norm and residual connection; upcast,
     * as diffusers builds it ({@code upcast_softmax=True}): its activations are the ones fp16 overflows.
     */
    public static Attention spatial(StateDict weights, int groups, double eps) {
        return new Attention(weights, 1, true, new GroupNorm(weights.scope("group_norm"), groups, eps));
    }

    /** {@code hidden} is [B, S, C]; {@code context} [B, S', C'] or null for self-attention. */
    public NDArray forward(NDArray hidden, NDArray context) {
        return Ops.scoped(hidden, () -> attend(hidden, context == null ? hidden : context));
    }

    /**
     * Cross-attention as an attention couple: the last B rows of {@code hidden} (the conditional
     * ones, B = the contexts' rows / groups) give Σ_g weight_g · Attention(Q, K_g, V_g) over the
     * text groups, in one batched call; to_out is applied once to the mix, which is the same as per
     * group since it is linear and the weights sum to 1 at every position. Any rows before them
     * attend to {@code text}'s rows as {@link #forward} does.
     */
    NDArray forwardCoupled(NDArray hidden, NDArray text, RegionalText.Layer regions) {
        return Ops.scoped(hidden, () -> {
            long rows = hidden.getShape().get(0);
            long groups = regions.weights().getShape().get(0);
            long conditional = regions.contexts().getShape().get(0) / groups;
            NDArray q = toQ.forward(rows == conditional ? hidden : hidden.get("{}:", rows - conditional));
            NDArray k = toK.forward(regions.contexts());
            NDArray v = toV.forward(regions.contexts());
            if (k.getManager() != q.getManager()) {
                k.attach(q.getManager());
                v.attach(q.getManager());
            }
            Shape shape = q.getShape();
            NDArray each = Ops.attention(q.tile(new long[] {groups, 1, 1}), k, v, heads, null, upcast);
            NDArray mixed = toOut.forward(each.reshape(groups, shape.get(0), shape.get(1), shape.get(2))
                    .mul(regions.weights()).sum(new int[] {0}));
            if (rows == conditional) {
                return mixed;
            }
            long unconditional = rows - conditional;
            return attend(hidden.get("{}:{}", 0, unconditional), text.get("{}:{}", 0, unconditional))
                    .concat(mixed, 0);
        });
    }

    /** The spatial form: [B, C, H, W] in and out, residual added. */
    public NDArray forwardSpatial(NDArray image) {
        Shape shape = image.getShape();
        long batch = shape.get(0);
        long channels = shape.get(1);
        return Ops.scoped(image, () -> {
            NDArray tokens = groupNorm.forward(image).reshape(batch, channels, -1).transpose(0, 2, 1);
            NDArray attended = attend(tokens, tokens);
            return attended.transpose(0, 2, 1).reshape(shape).add(image);
        });
    }

    private NDArray attend(NDArray hidden, NDArray context) {
        NDArray q = toQ.forward(hidden);
        NDArray k = toK.forward(context);
        NDArray v = toV.forward(context);
        if (k.getManager() != q.getManager()) {
            k.attach(q.getManager());
            v.attach(q.getManager());
        }
        return toOut.forward(Ops.attention(q, k, v, heads, null, upcast));
    }
}
