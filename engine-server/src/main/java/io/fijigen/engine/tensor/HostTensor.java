package io.fijigen.engine.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * A float32 tensor on the Java side: what crosses the engine's boundary (init images, given
 * latents, result images), so requests and results never hold an NDArray whose manager may close.
 */
public record HostTensor(float[] data, long[] shape) {

    public HostTensor {
        long count = 1;
        for (long dim : shape) {
            count *= dim;
        }
        if (count != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + count
                    + " values, got " + data.length);
        }
    }

    public static HostTensor of(NDArray array) {
        return new HostTensor(array.toType(DataType.FLOAT32, false).toFloatArray(), array.getShape().getShape());
    }

    public NDArray toNDArray(NDManager manager) {
        return manager.create(data, new Shape(shape));
    }

    public long dim(int axis) {
        return shape[axis];
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HostTensor that && Arrays.equals(data, that.data) && Arrays.equals(shape, that.shape);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(data) + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "HostTensor" + Arrays.toString(shape);
    }
}
