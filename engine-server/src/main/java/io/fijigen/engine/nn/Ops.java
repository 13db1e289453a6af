package io.fijigen.engine.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.function.Supplier;

/**
 * The kernels every block shares: attention, normalisation, activations, convolution. Blocks call
 * only these, so a faster implementation (a fused TorchScript method reaching SDPA and group norm)
 * swaps in here without touching them.
 *
 * <p>Attention, group norm and GEGLU run as single TorchScript methods when {@link KernelPath}
 * says so (the default), else as the plain ops below, which are the reference they are tested against.
 *
 * <p>Results land in the manager of the first array argument (DJL's rule), so callers pass the
 * activation first and the weights after it: a weight as receiver would leave the result in the
 * model's long-lived manager.
 */
public final class Ops {
    /** Largest float32 score matrix plain attention builds at once; larger ones run in slices of heads. */
    static final long ATTENTION_SLICE_BYTES = 512L << 20;

    private Ops() {}

    public static NDArray conv2d(NDArray x, NDArray weight, NDArray bias, int stride, int padding) {
        return x.getNDArrayInternal()
                .convolution(x, weight, bias, new Shape(stride, stride), new Shape(padding, padding),
                        new Shape(1, 1), 1)
                .singletonOrThrow();
    }

    /**
     * x · factor, the factor made a host scalar. DJL makes the operand of {@code mul(float)} in x's
     * manager, which on a GPU is a copy to the device that waits for it; CUDA kernels take a 0-dim
     * CPU tensor as a plain scalar. For factors that change per call, in a per-step path.
     */
    public static NDArray scale(NDArray x, float factor) {
        try (NDManager host = x.getManager().newSubManager(Device.cpu())) {
            return x.mul(host.create(factor));
        }
    }

    public static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    }

    public static NDArray embedding(NDArray ids, NDArray weight) {
        return ids.getNDArrayInternal().embedding(ids, weight, ai.djl.ndarray.types.SparseFormat.DENSE)
                .singletonOrThrow();
    }

    public static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta, double eps) {
        Shape last = new Shape(x.getShape().get(x.getShape().dimension() - 1));
        return x.getNDArrayInternal().layerNorm(x, last, gamma, beta, (float) eps).singletonOrThrow();
    }

    /**
     * torch.nn.GroupNorm on NCHW: statistics per (sample, group) over the group's channels and all
     * pixels, biased variance, then a per-channel affine map.
     */
    public static NDArray groupNorm(NDArray x, int groups, NDArray gamma, NDArray beta, double eps) {
        TorchScriptKernels kernels = KernelPath.kernels();
        return kernels != null ? kernels.groupNorm(x, groups, gamma, beta, eps, false)
                : plainGroupNorm(x, groups, gamma, beta, eps);
    }

    /** {@code silu(groupNorm(x))}, the pair every resnet and every network's output starts with, fused. */
    public static NDArray groupNormSilu(NDArray x, int groups, NDArray gamma, NDArray beta, double eps) {
        TorchScriptKernels kernels = KernelPath.kernels();
        return kernels != null ? kernels.groupNorm(x, groups, gamma, beta, eps, true)
                : scoped(x, () -> silu(plainGroupNorm(x, groups, gamma, beta, eps)));
    }

    /**
     * diffusers' GEGLU: {@code proj(x)} split in halves along the last axis, the first gated by GELU
     * of the second.
     */
    public static NDArray geglu(NDArray x, NDArray weight, NDArray bias) {
        TorchScriptKernels kernels = KernelPath.kernels();
        if (kernels != null && bias != null) {
            return kernels.geglu(x, weight, bias);
        }
        return scoped(x, () -> {
            NDArray projected = linear(x, weight, bias);
            NDList halves = projected.split(2, projected.getShape().dimension() - 1);
            return halves.get(0).mul(gelu(halves.get(1)));
        });
    }

    private static NDArray plainGroupNorm(NDArray x, int groups, NDArray gamma, NDArray beta, double eps) {
        Shape shape = x.getShape();
        long n = shape.get(0);
        long c = shape.get(1);
        return scoped(x, () -> {
            NDArray grouped = x.reshape(n, groups, -1);
            NDArray mean = grouped.mean(new int[] {2}, true);
            NDArray centred = grouped.sub(mean);
            NDArray variance = centred.square().mean(new int[] {2}, true);
            NDArray normed = centred.div(variance.add(eps).sqrt()).reshape(shape);
            Shape perChannel = perChannel(shape, c);
            return normed.mul(local(gamma.reshape(perChannel), normed)).add(local(beta.reshape(perChannel), normed));
        });
    }

    public static NDArray silu(NDArray x) {
        return x.mul(x.getNDArrayInternal().sigmoid());
    }

    /** GELU with the exact erf form, as torch's default and transformers' "gelu". */
    public static NDArray gelu(NDArray x) {
        return x.getNDArrayInternal().gelu();
    }

    /** CLIP's original approximation, x·σ(1.702x) (transformers' "quick_gelu"). */
    public static NDArray quickGelu(NDArray x) {
        return x.mul(x.mul(1.702f).getNDArrayInternal().sigmoid());
    }

    /**
     * Multi-head scaled dot-product attention. {@code q} is [B, Sq, H·D], {@code k} and {@code v}
     * are [B, Sk, H·D]; {@code mask} (additive, broadcast to [B, H, Sq, Sk]) may be null. With
     * {@code upcast} (a model config's {@code upcast_attention}) it is computed in float32 whatever
     * the input type; else in the input's type, so fp16 on a GPU reaches the fp16 flash kernels.
     */
    public static NDArray attention(NDArray q, NDArray k, NDArray v, int heads, NDArray mask, boolean upcast) {
        TorchScriptKernels kernels = KernelPath.kernels();
        return kernels != null ? kernels.attention(q, k, v, heads, mask, upcast)
                : plainAttention(q, k, v, heads, mask, upcast, ATTENTION_SLICE_BYTES);
    }

    /**
     * Attention as matmul, softmax, matmul, in slices of heads when the float32 score matrix
     * [B, H, Sq, Sk] would exceed {@code sliceBytes} (diffusers' attention slicing): SD 1.5 at
     * 1024² would otherwise hold 8 GiB of scores per call.
     */
    static NDArray plainAttention(NDArray q, NDArray k, NDArray v, int heads, NDArray mask, boolean upcast,
            long sliceBytes) {
        long batch = q.getShape().get(0);
        long queries = q.getShape().get(1);
        long inner = q.getShape().get(2);
        long keys = k.getShape().get(1);
        long headDim = inner / heads;
        long scoreBytes = batch * heads * queries * keys * Float.BYTES;
        int perSlice = (int) Math.max(1, Math.min(heads, heads * sliceBytes / scoreBytes));
        DataType type = q.getDataType();
        DataType compute = upcast ? DataType.FLOAT32 : type;
        return scoped(q, () -> {
            NDArray qh = splitHeads(q, heads, headDim).toType(compute, false);
            NDArray kh = splitHeads(k, heads, headDim).toType(compute, false);
            NDArray vh = splitHeads(v, heads, headDim).toType(compute, false);
            // The mask in the scores' type once, not once per slice; a converted copy is this scope's.
            NDArray typedMask = mask == null ? null : mask.toType(compute, false);
            if (typedMask != null && typedMask != mask) {
                typedMask.attach(q.getManager());
            }
            NDList slices = new NDList();
            for (int first = 0; first < heads; first += perSlice) {
                String range = ":, " + first + ":" + Math.min(heads, first + perSlice);
                boolean whole = perSlice >= heads;
                // Each slice in a scope of its own, so only one slice's scores exist at a time.
                slices.add(scoped(qh, () -> {
                    NDArray maskSlice = typedMask == null || typedMask.getShape().get(1) == 1 || whole ? typedMask
                            : local(typedMask.get(range), qh);
                    NDArray qs = whole ? qh : qh.get(range);
                    NDArray scores = qs.mul((float) (1.0 / Math.sqrt(headDim)))
                            .matMul((whole ? kh : kh.get(range)).transpose(0, 1, 3, 2));
                    if (maskSlice != null) {
                        scores = scores.add(maskSlice);
                    }
                    return scores.softmax(-1).matMul(whole ? vh : vh.get(range));
                }));
            }
            NDArray out = (slices.size() == 1 ? slices.get(0) : NDArrays.concat(slices, 1)).toType(type, false);
            return out.transpose(0, 2, 1, 3).reshape(batch, queries, inner);
        });
    }

    /**
     * Nearest-neighbour resize of NCHW to (height, width), as F.interpolate(mode="nearest"): one
     * operator, and no half-size intermediate (the VAE's last ×2 would otherwise hold one of 512 MiB
     * at 1024²).
     */
    public static NDArray upsampleNearest(NDArray x, long height, long width) {
        return x.getNDArrayInternal().interpolation(new long[] {height, width}, 0, false);
    }

    /**
     * The TorchScript kernels for blocks that run whole in one call (resnets, transformers), or
     * null when the plain path is selected: the block then runs op by op.
     */
    static TorchScriptKernels blockKernels() {
        return KernelPath.kernels();
    }

    /**
     * Runs {@code body} with {@code x} temporarily in a sub-manager, so every intermediate it makes
     * is freed on return; only the result moves to x's own manager.
     */
    public static NDArray scoped(NDArray x, Supplier<NDArray> body) {
        NDManager parent = x.getManager();
        try (NDManager scope = parent.newSubManager()) {
            x.tempAttach(scope);
            NDArray result = body.get();
            result.attach(parent);
            return result;
        }
    }

    /** Moves a view made from a weight into the activation's manager, so it is freed with it. */
    private static NDArray local(NDArray weightView, NDArray activation) {
        weightView.attach(activation.getManager());
        return weightView;
    }

    private static NDArray splitHeads(NDArray x, int heads, long headDim) {
        Shape shape = x.getShape();
        return x.reshape(shape.get(0), shape.get(1), heads, headDim).transpose(0, 2, 1, 3);
    }

    private static Shape perChannel(Shape shape, long channels) {
        long[] dims = new long[shape.dimension()];
        java.util.Arrays.fill(dims, 1);
        dims[1] = channels;
        return new Shape(dims);
    }
}
