package io.fijigen.engine.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Writes safetensors files: NDArrays (tests, and the CLI's {@code --out-tensor}), or tensors whose
 * bytes are streamed by the caller (the benchmark's random weights, too large to hold twice).
 */
public final class SafetensorsWriter {

    /** Fills a tensor's bytes (little-endian, exactly its size) into the file at its position. */
    @FunctionalInterface
    public interface Content {
        void writeTo(FileChannel out) throws IOException;
    }

    /** One tensor to write: name, stored type, shape, and what writes its bytes. */
    public record Tensor(String name, TensorDtype dtype, long[] shape, Content content) {
        long bytes() {
            long elements = 1;
            for (long dim : shape) {
                elements *= dim;
            }
            return elements * dtype.bytes();
        }
    }

    private SafetensorsWriter() {}

    /**
     * Writes {@code tensors} (FLOAT32, FLOAT64, FLOAT16, INT64, INT32 or UINT8 arrays) and
     * {@code metadata} to {@code file}.
     */
    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata)
            throws IOException {
        List<Tensor> entries = new ArrayList<>();
        tensors.forEach((name, array) -> entries.add(new Tensor(name, dtypeOf(name, array),
                array.getShape().getShape(),
                // toByteBuffer(true) points at the tensor's native memory: no copy on the Java heap.
                out -> writeFully(out, array.toByteBuffer(true).order(ByteOrder.LITTLE_ENDIAN)))));
        write(file, entries, metadata);
    }

    /**
     * Writes {@code tensors} and {@code metadata} to {@code file}. As the reference writer does,
     * tensors are laid out largest element size first, then by name, so each one is aligned to its
     * element size, and the header is padded with spaces to a multiple of 8 bytes.
     */
    public static void write(Path file, List<Tensor> tensors, Map<String, String> metadata) throws IOException {
        List<Tensor> ordered = new ArrayList<>(tensors);
        ordered.sort(Comparator.<Tensor>comparingInt(t -> -t.dtype().bytes()).thenComparing(Tensor::name));

        JsonObject header = new JsonObject();
        if (!metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            metadata.forEach(meta::addProperty);
            header.add("__metadata__", meta);
        }
        long offset = 0;
        for (Tensor tensor : ordered) {
            JsonObject entry = new JsonObject();
            entry.addProperty("dtype", tensor.dtype().name());
            JsonArray shape = new JsonArray();
            for (long dim : tensor.shape()) {
                shape.add(dim);
            }
            entry.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offsets.add(offset + tensor.bytes());
            entry.add("data_offsets", offsets);
            header.add(tensor.name(), entry);
            offset += tensor.bytes();
        }

        byte[] json = new GsonBuilder().disableHtmlEscaping().create().toJson(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(Long.BYTES + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            writeFully(out, head.flip());
            long start = out.position();
            for (Tensor tensor : ordered) {
                tensor.content().writeTo(out);
                start += tensor.bytes();
                if (out.position() != start) {
                    throw new IllegalStateException("tensor '" + tensor.name() + "': its content wrote "
                            + (out.position() - start + tensor.bytes()) + " bytes, not " + tensor.bytes());
                }
            }
        }
    }

    private static TensorDtype dtypeOf(String name, NDArray array) {
        DataType type = array.getDataType();
        return switch (type) {
            case FLOAT32 -> TensorDtype.F32;
            case FLOAT64 -> TensorDtype.F64;
            case FLOAT16 -> TensorDtype.F16;
            case INT64 -> TensorDtype.I64;
            case INT32 -> TensorDtype.I32;
            case UINT8 -> TensorDtype.U8;
            default -> throw new IllegalArgumentException(
                    "tensor '" + name + "': cannot write " + type.name() + " to safetensors");
        };
    }

    /** Writes all of {@code data}: a channel may take less than asked in one call. */
    public static void writeFully(FileChannel out, ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            out.write(data);
        }
    }
}
