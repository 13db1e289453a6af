package io.fijigen.engine.weights;

import java.util.Arrays;

/**
 * A tensor of a safetensors file seen under another key, and possibly as a contiguous part of it,
 * in another shape or transposed: what a single-file checkpoint's key renaming produces. Every view
 * is a range of the source tensor's bytes, so loading one copies nothing that loading the source
 * would not (a transposed view is the one exception: its bytes are reordered at load time).
 *
 * @param source the key of the tensor in the file
 * @param info the view: its key, the source's dtype, its shape and its byte range (in the data
 *     region, inside the source's range)
 * @param transposed whether the view is the transpose of the 2-D tensor the bytes store, whose
 *     shape is {@code info}'s reversed
 */
public record TensorView(String source, TensorInfo info, boolean transposed) {

    /** The whole tensor under its own key. */
    public static TensorView of(TensorInfo tensor) {
        return new TensorView(tensor.name(), tensor, false);
    }

    /** The same bytes and shape under {@code key}. */
    public TensorView renamed(String key) {
        return new TensorView(source, new TensorInfo(key, info.dtype(), info.shape(), info.begin(), info.end()),
                transposed);
    }

    /**
     * Rows {@code [from, to)} of the first dimension: contiguous in a row-major tensor, so a slice of
     * the bytes (OpenCLIP's fused {@code in_proj_weight} split into q, k and v).
     */
    public TensorView rows(long from, long to) {
        long[] shape = info.shape();
        if (transposed || shape.length == 0 || from < 0 || to > shape[0] || from >= to) {
            throw new IllegalArgumentException("rows [" + from + ", " + to + ") of " + this);
        }
        long rowBytes = (info.end() - info.begin()) / shape[0];
        shape[0] = to - from;
        return new TensorView(source, new TensorInfo(info.name(), info.dtype(), shape,
                info.begin() + from * rowBytes, info.begin() + to * rowBytes), false);
    }

    /** The same elements in another shape of equal size (a 1x1 convolution's weight as a linear one's). */
    public TensorView reshaped(long... shape) {
        TensorInfo reshaped = new TensorInfo(info.name(), info.dtype(), shape, info.begin(), info.end());
        if (transposed || reshaped.elementCount() != info.elementCount()) {
            throw new IllegalArgumentException("cannot view " + this + " as " + Arrays.toString(shape));
        }
        return new TensorView(source, reshaped, false);
    }

    /**
     * The transpose of a 2-D tensor: OpenCLIP stores its text projection as [hidden, projection]
     * (applied as {@code x @ P}), transformers as a Linear weight [projection, hidden].
     */
    public TensorView transpose() {
        long[] shape = info.shape();
        if (shape.length != 2) {
            throw new IllegalArgumentException("cannot transpose " + this + ": not 2-D");
        }
        return new TensorView(source, reversed(info), !transposed);
    }

    /** The tensor as its bytes lie: {@code info}, or its transpose for a transposed view. */
    public TensorInfo stored() {
        return transposed ? reversed(info) : info;
    }

    /** The view's key. */
    public String key() {
        return info.name();
    }

    public long[] shape() {
        return info.shape();
    }

    @Override
    public String toString() {
        return (transposed ? "transpose of " : "") + info + " from " + source;
    }

    private static TensorInfo reversed(TensorInfo info) {
        long[] shape = info.shape();
        return new TensorInfo(info.name(), info.dtype(), new long[] {shape[1], shape[0]}, info.begin(), info.end());
    }
}
