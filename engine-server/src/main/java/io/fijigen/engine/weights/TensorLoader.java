package io.fijigen.engine.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;

/**
 * Turns a tensor's mapped bytes into an NDArray without copying them onto the Java heap.
 *
 * <p>DJL PyTorch's {@code NDManager.create(directByteBuffer, ...)} calls {@code torch::from_blob}
 * on the buffer's address and keeps a Java reference to the buffer, so on the CPU an array made
 * that way <em>is</em> the file mapping. Such arrays are read-only memory: they must never be the
 * target of an in-place op ({@code addi}, {@code muli}, {@code set}, ...): writing to a read-only
 * mapping crashes the JVM. Conversions ({@code toType}) always produce a fresh native tensor.
 * Raw bytes are handed over as they are because the file is little-endian, as are the x86-64 and
 * arm64 machines fijigen runs on.
 */
final class TensorLoader {

    /** Elements widened per step from bfloat16; bounds the Java-heap scratch to 256 KiB. */
    private static final int BF16_CHUNK = 1 << 16;

    private TensorLoader() {}

    /**
     * Loads a view of a file's tensor ({@code data}: the view's bytes) as {@link #load(NDManager,
     * TensorInfo, ByteBuffer, DataType)} does; a transposed view's elements are reordered into a
     * fresh buffer first, so the array is contiguous and owns its memory like any other.
     */
    static NDArray load(NDManager manager, TensorView view, ByteBuffer data, DataType floatType) {
        return load(manager, view.info(), view.transposed() ? transpose(view.stored(), data) : data, floatType);
    }

    /**
     * Loads a tensor onto {@code manager}'s device: floating dtypes become {@code floatType}
     * (FLOAT32 or FLOAT16), integer dtypes keep their type.
     */
    static NDArray load(NDManager manager, TensorInfo info, ByteBuffer data, DataType floatType) {
        Shape shape = new Shape(info.shape());
        NDArray array = switch (info.dtype()) {
            case F32 -> convert(manager.create(data, shape, DataType.FLOAT32), floatType);
            case F16 -> convert(manager.create(data, shape, DataType.FLOAT16), floatType);
            case F64 -> convert(manager.create(data, shape, DataType.FLOAT64), floatType);
            // DJL 0.36 aborts the JVM on bfloat16 tensors, so BF16 never reaches it: widen first.
            case BF16 -> convert(manager.create(widenBf16(info, data), shape, DataType.FLOAT32), floatType);
            case I64 -> manager.create(data, shape, DataType.INT64);
            case I32 -> manager.create(data, shape, DataType.INT32);
            case U8 -> manager.create(data, shape, DataType.UINT8);
        };
        array.setName(info.name());
        return array;
    }

    /** Returns {@code view} if it already has {@code type}, else a native copy; closes the view. */
    private static NDArray convert(NDArray view, DataType type) {
        if (view.getDataType() == type) {
            return view;
        }
        try (view) {
            return view.toType(type, false);
        }
    }

    /** The elements of the 2-D tensor {@code stored} in column-major order: its transpose, row-major. */
    private static ByteBuffer transpose(TensorInfo stored, ByteBuffer data) {
        long[] shape = stored.shape();
        int rows = Math.toIntExact(shape[0]);
        int columns = Math.toIntExact(shape[1]);
        int size = stored.dtype().bytes();
        ByteBuffer source = data.duplicate();
        ByteBuffer target = ByteBuffer.allocateDirect(Math.toIntExact(stored.byteLength()))
                .order(ByteOrder.nativeOrder());
        byte[] element = new byte[size];
        for (int column = 0; column < columns; column++) {
            for (int row = 0; row < rows; row++) {
                source.get((row * columns + column) * size, element);
                target.put(element);
            }
        }
        return target.flip();
    }

    /**
     * bfloat16 is the top half of a float32: shifting the 16 bits left by 16 gives the float's
     * bits exactly. The result is a direct buffer; the NDArray made from it keeps it alive.
     */
    private static ByteBuffer widenBf16(TensorInfo info, ByteBuffer data) {
        int floatBytes;
        try {
            floatBytes = Math.toIntExact(Math.multiplyExact(info.elementCount(), Float.BYTES));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("tensor '" + info.name()
                    + "': BF16 tensor too large to widen to float32 (over 2 GiB)", e);
        }
        ByteBuffer widened = ByteBuffer.allocateDirect(floatBytes).order(ByteOrder.nativeOrder());
        ShortBuffer source = data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        IntBuffer target = widened.asIntBuffer();
        int chunk = Math.min(BF16_CHUNK, source.remaining());
        short[] halves = new short[chunk];
        int[] bits = new int[chunk];
        while (source.hasRemaining()) {
            int n = Math.min(chunk, source.remaining());
            source.get(halves, 0, n);
            for (int i = 0; i < n; i++) {
                bits[i] = (halves[i] & 0xFFFF) << 16;
            }
            target.put(bits, 0, n);
        }
        return widened;
    }
}
