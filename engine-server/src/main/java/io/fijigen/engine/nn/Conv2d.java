package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import java.util.List;
import io.fijigen.engine.weights.Parameter;
import io.fijigen.engine.weights.StateDict;

/**
 * torch.nn.Conv2d with square kernel, stride and padding; the kernel size comes from the weight, a
 * {@link Parameter} so LoRAs (LoCon) can be merged into it.
 */
public final class Conv2d {
    private final Parameter weight;
    private final NDArray bias;
    private final int stride;
    private final int padding;

    private Conv2d(Parameter weight, NDArray bias, int stride, int padding) {
        this.weight = weight;
        this.bias = bias;
        this.stride = stride;
        this.padding = padding;
    }

    /** A stride-1 convolution padded to keep the size ("same"), as every 3×3 and 1×1 conv here. */
    public static Conv2d same(StateDict weights) {
        return load(weights, 1, -1);
    }

    /** {@code padding} −1 means (kernel − 1) / 2. */
    public static Conv2d load(StateDict weights, int stride, int padding) {
        Parameter weight = weights.parameter("weight");
        int kernel = (int) weight.get().getShape().get(2);
        NDArray bias = weights.has("bias") ? weights.get("bias") : null;
        return new Conv2d(weight, bias, stride, padding < 0 ? (kernel - 1) / 2 : padding);
    }

    public NDArray forward(NDArray x) {
        return Ops.conv2d(x, weight.get(), bias, stride, padding);
    }

    /**
     * The same for a network's input layer: {@code x} (float32 latents or pixels, as pipelines keep
     * them) first takes the weights' type, fp16 on a GPU.
     */
    public NDArray forwardInput(NDArray x) {
        return forward(x.toType(weight.get().getDataType(), false));
    }

    /** Whether this is a biased, stride-1, "same"-padded {@code kernel}×{@code kernel} convolution. */
    boolean isSame(int kernel) {
        long[] shape = weight.get().getShape().getShape();
        return bias != null && stride == 1 && shape[2] == kernel && shape[3] == kernel && padding == (kernel - 1) / 2;
    }

    /** Appends the weight (as LoRAs have left it) and the bias, the order a fused kernel takes them in. */
    void appendTo(List<NDArray> weights) {
        weights.add(weight.get());
        weights.add(bias);
    }

    public long outChannels() {
        return weight.get().getShape().get(0);
    }
}
