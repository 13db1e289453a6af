package io.fijigen.engine.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * Child-JVM half of {@link SafetensorsLargeFileTest}: run with a small heap, it reads every
 * tensor of a file far larger than that heap and prints one {@code RESULT} line.
 */
public final class SafetensorsLargeFileReader {

    private SafetensorsLargeFileReader() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        StringBuilder result = new StringBuilder("RESULT");
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            result.append(" tensors=").append(f.names().size()).append(" mappings=").append(f.mappingCount());
            long touched = 0;
            for (String name : f.names()) {
                TensorInfo info = f.info(name);
                ByteBuffer data = f.data(name);
                if (data.remaining() != info.end() - info.begin()) {
                    throw new AssertionError(name + ": slice has " + data.remaining() + " bytes");
                }
                touched += data.get(0) + data.get(data.limit() - 1);
            }
            result.append(" touched=").append(touched);
            result.append(" head=").append(f.data("head").get(0)).append(',').append(f.data("head").get(7));
            ByteBuffer a = f.data("big.a");
            result.append(" big.a.last=").append(a.getFloat(a.limit() - 4));
            result.append(" big.b.first=").append(f.data("big.b").getFloat(0));
            result.append(" tail.last=").append(f.data("tail").getFloat(12));
        }
        // The 1.6 GB F32 tensor through StateDict: zero copy, so it fits a 256 MB heap.
        try (NDManager manager = NDManager.newBaseManager();
                StateDict sd = StateDict.open(List.of(file), manager, DataType.FLOAT32)) {
            NDArray a = sd.scope("big").get("a");
            long n = a.getShape().get(0);
            result.append(" nd.big.a[").append(n - 1).append("]=").append(a.getFloat(n - 1));
        }
        result.append(" maxHeapMiB=").append(Runtime.getRuntime().maxMemory() >> 20);
        System.out.println(result);
    }
}
