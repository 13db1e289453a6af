package io.fijigen.engine.weights;

import java.util.Arrays;

/**
 * A tensor of a safetensors file seen under another key, and possibly as a contiguous part of it
 * or in another shape: what a single-file checkpoint's key renaming produces. Every view is a range
 * of the source tensor's bytes, so loading one copies nothing that loading the source would not.
 *
 * @param source the key of the tensor in the file
 * @param info the view: its key, the source's dtype, its shape and its byte range (in the data
 *     region, inside the source's range)
 */
public record TensorView(String source, TensorInfo info) {

    /** The whole tensor under its own key. */
    public static TensorView of(TensorInfo tensor) {
        return new TensorView(tensor.name(), tensor);
    }

    /** The same bytes and shape under {@code key}. */
    public TensorView renamed(String key) {
        return new TensorView(source, new TensorInfo(key, info.dtype(), info.shape(), info.begin(), info.end()));
    }

    /**
     * Rows {@code [from, to)} of the first dimension: contiguous in a row-major tensor, so a slice of
     * the bytes (OpenCLIP's fused {@code in_proj_weight} split into q, k and v).
     */
    public TensorView rows(long from, long to) {
        long[] shape = info.shape();
        if (shape.length == 0 || from < 0 || to > shape[0] || from >= to) {
            throw new IllegalArgumentException("rows [" + from + ", " + to + ") of " + info);
        }
        long rowBytes = (info.end() - info.begin()) / shape[0];
        shape[0] = to - from;
        return new TensorView(source, new TensorInfo(info.name(), info.dtype(), shape,
                info.begin() + from * rowBytes, info.begin() + to * rowBytes));
    }

    /** The same elements in another shape of equal size (a 1x1 convolution's weight as a linear one's). */
    public TensorView reshaped(long... shape) {
        TensorInfo reshaped = new TensorInfo(info.name(), info.dtype(), shape, info.begin(), info.end());
        if (reshaped.elementCount() != info.elementCount()) {
            throw new IllegalArgumentException("cannot view " + info + " as " + Arrays.toString(shape));
        }
        return new TensorView(source, reshaped);
    }

    /** The view's key. */
    public String key() {
        return info.name();
    }

    public long[] shape() {
        return info.shape();
    }
}
