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

/** Writes NDArrays as a safetensors file (tests, and the CLI's {@code --out-tensor}). */
public final class SafetensorsWriter {

    private SafetensorsWriter() {}

    /**
     * Writes {@code tensors} (FLOAT32, FLOAT64, FLOAT16, INT64, INT32 or UINT8 arrays) and
     * {@code metadata} to {@code file}.
     *
     * <p>As the reference writer does, tensors are laid out largest element size first, then by
     * name, so each one is aligned to its element size, and the header is padded with spaces to a
     * multiple of 8 bytes.
     */
    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata)
            throws IOException {
        List<Map.Entry<String, NDArray>> ordered = new ArrayList<>(tensors.entrySet());
        ordered.sort(Comparator.<Map.Entry<String, NDArray>>comparingInt(e -> -dtypeOf(e).bytes())
                .thenComparing(Map.Entry::getKey));

        JsonObject header = new JsonObject();
        if (!metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            metadata.forEach(meta::addProperty);
            header.add("__metadata__", meta);
        }
        long offset = 0;
        for (Map.Entry<String, NDArray> e : ordered) {
            NDArray array = e.getValue();
            TensorDtype dtype = dtypeOf(e);
            long length = array.size() * dtype.bytes();
            JsonObject entry = new JsonObject();
            entry.addProperty("dtype", dtype.name());
            JsonArray shape = new JsonArray();
            for (long dim : array.getShape().getShape()) {
                shape.add(dim);
            }
            entry.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offsets.add(offset + length);
            entry.add("data_offsets", offsets);
            header.add(e.getKey(), entry);
            offset += length;
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
            for (Map.Entry<String, NDArray> e : ordered) {
                // toByteBuffer(true) points at the tensor's native memory: no copy on the Java heap.
                ByteBuffer data = e.getValue().toByteBuffer(true).order(ByteOrder.LITTLE_ENDIAN);
                writeFully(out, data);
            }
        }
    }

    private static TensorDtype dtypeOf(Map.Entry<String, NDArray> entry) {
        DataType type = entry.getValue().getDataType();
        return switch (type) {
            case FLOAT32 -> TensorDtype.F32;
            case FLOAT64 -> TensorDtype.F64;
            case FLOAT16 -> TensorDtype.F16;
            case INT64 -> TensorDtype.I64;
            case INT32 -> TensorDtype.I32;
            case UINT8 -> TensorDtype.U8;
            default -> throw new IllegalArgumentException(
                    "tensor '" + entry.getKey() + "': cannot write " + type.name() + " to safetensors");
        };
    }

    private static void writeFully(FileChannel out, ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            out.write(data);
        }
    }
}
