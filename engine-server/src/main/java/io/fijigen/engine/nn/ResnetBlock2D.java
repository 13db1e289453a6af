package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.weights.StateDict;
import java.util.ArrayList;
import java.util.List;

/**
 * diffusers' {@code ResnetBlock2D} with {@code time_embedding_norm="default"}: two group-normed
 * 3×3 convolutions, the timestep embedding added between them (UNet only; the VAE has none), a 1×1
 * shortcut when the channel count changes, and the sum divided by {@code output_scale_factor}.
 */
public final class ResnetBlock2D {
    private final GroupNorm norm1;
    private final Conv2d conv1;
    private final Linear timeEmbProj;
    private final GroupNorm norm2;
    private final Conv2d conv2;
    private final Conv2d convShortcut;
    private final float outputScaleFactor;
    /** Whether the fused kernel can run it: 3×3 convolutions, a 1×1 shortcut, one norm setting, a biased projection. */
    private final boolean fusable;

    public ResnetBlock2D(StateDict weights, int groups, double eps, double outputScaleFactor) {
        this.norm1 = new GroupNorm(weights.scope("norm1"), groups, eps);
        this.conv1 = Conv2d.same(weights.scope("conv1"));
        this.timeEmbProj = weights.has("time_emb_proj.weight") ? Linear.load(weights.scope("time_emb_proj")) : null;
        this.norm2 = new GroupNorm(weights.scope("norm2"), groups, eps);
        this.conv2 = Conv2d.same(weights.scope("conv2"));
        this.convShortcut = weights.has("conv_shortcut.weight") ? Conv2d.same(weights.scope("conv_shortcut")) : null;
        this.outputScaleFactor = (float) outputScaleFactor;
        this.fusable = conv1.isSame(3) && conv2.isSame(3) && (convShortcut == null || convShortcut.isSame(1))
                && norm1.groups() == norm2.groups() && norm1.eps() == norm2.eps()
                && (timeEmbProj == null || timeEmbProj.hasBias());
    }

    /** The {@code resnets.0 … resnets.(count−1)} of a block. */
    static List<ResnetBlock2D> stack(StateDict weights, int count, int groups, double eps, double outputScaleFactor) {
        List<ResnetBlock2D> resnets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            resnets.add(new ResnetBlock2D(weights.scope("resnets." + i), groups, eps, outputScaleFactor));
        }
        return resnets;
    }

    /** {@code temb} is the UNet's [B, time_embed_dim] embedding, or null in the VAE. */
    public NDArray forward(NDArray input, NDArray temb) {
        TorchScriptKernels fused = Ops.blockKernels();
        if (fused != null && fusable) {
            List<NDArray> weights = new ArrayList<>();
            norm1.appendTo(weights);
            conv1.appendTo(weights);
            if (temb != null) {
                timeEmbProj.appendTo(weights);
            }
            norm2.appendTo(weights);
            conv2.appendTo(weights);
            if (convShortcut != null) {
                convShortcut.appendTo(weights);
            }
            return fused.resnet(input, temb, weights, norm1.groups(), norm1.eps(), convShortcut != null,
                    outputScaleFactor);
        }
        return Ops.scoped(input, () -> {
            NDArray h = conv1.forward(norm1.forwardSilu(input));
            if (temb != null) {
                // temb lives outside this scope: project it in a scope of its own, then adopt it.
                NDArray t = Ops.scoped(temb, () -> timeEmbProj.forward(Ops.silu(temb)));
                t.attach(h.getManager());
                h = h.add(t.reshape(t.getShape().get(0), t.getShape().get(1), 1, 1));
            }
            h = conv2.forward(norm2.forwardSilu(h));
            NDArray shortcut = convShortcut == null ? input : convShortcut.forward(input);
            NDArray out = shortcut.add(h);
            return outputScaleFactor == 1f ? out : out.div(outputScaleFactor);
        });
    }
}
