package io.fijigen.engine.weights;

import java.util.Arrays;
import java.util.Objects;

/**
 * One header entry of a safetensors file.
 *
 * @param name the tensor's key
 * @param dtype element type
 * @param shape dimensions; empty for a scalar
 * @param begin first byte, relative to the start of the data region (the byte after the header)
 * @param end one past the last byte, relative to the data region
 */
public record TensorInfo(String name, TensorDtype dtype, long[] shape, long begin, long end) {

    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
    }

    /** A copy: records expose their components, and a shared array could be changed by a caller. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Product of the dimensions; 1 for a scalar. */
    public long elementCount() {
        long count = 1;
        for (long dim : shape) {
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }

    /** Number of data bytes, {@code end - begin}. */
    long byteLength() {
        return end - begin;
    }

    // Arrays compare by identity in generated record methods; compare shapes by content instead.
    @Override
    public boolean equals(Object other) {
        return other instanceof TensorInfo that
                && name.equals(that.name)
                && dtype == that.dtype
                && Arrays.equals(shape, that.shape)
                && begin == that.begin
                && end == that.end;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape) + " [" + begin + ", " + end + ")";
    }
}
