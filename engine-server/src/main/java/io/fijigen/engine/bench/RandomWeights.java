package io.fijigen.engine.bench;

import io.fijigen.engine.weights.SafetensorsWriter;
import io.fijigen.engine.weights.TensorDtype;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Float32 weights of given shapes, random but tame: matrices and kernels uniform in ±1/√fan-in
 * (torch's default initialisation bound), so activations neither vanish nor overflow fp16 through
 * a full-depth network; 1-d weights (every norm's scale) 1, biases 0. Each tensor's values depend
 * only on its name and the seed, so a rerun writes the same file.
 */
final class RandomWeights {
    private static final int CHUNK_FLOATS = 1 << 20;

    private RandomWeights() {}

    static void write(Path file, Map<String, long[]> shapes, long seed) throws IOException {
        List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
        shapes.forEach((name, shape) -> tensors.add(new SafetensorsWriter.Tensor(name, TensorDtype.F32, shape,
                out -> fill(out, name, shape, seed))));
        SafetensorsWriter.write(file, tensors, Map.of("format", "pt", "fijigen", "random weights"));
    }

    private static void fill(FileChannel out, String name, long[] shape, long seed) throws IOException {
        long count = 1;
        long fanIn = 1;
        for (int i = 0; i < shape.length; i++) {
            count *= shape[i];
            fanIn *= i == 0 ? 1 : shape[i];
        }
        float constant = shape.length > 1 ? Float.NaN : name.endsWith("weight") ? 1f : 0f;
        float bound = (float) (1 / Math.sqrt(fanIn));
        SplittableRandom random = new SplittableRandom(seed ^ name.hashCode());
        ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_FLOATS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (long done = 0; done < count; ) {
            int n = (int) Math.min(CHUNK_FLOATS, count - done);
            FloatBuffer floats = chunk.clear().asFloatBuffer();
            for (int i = 0; i < n; i++) {
                floats.put(Float.isNaN(constant) ? (float) random.nextDouble(-bound, bound) : constant);
            }
            SafetensorsWriter.writeFully(out, chunk.limit(n * Float.BYTES));
            done += n;
        }
    }
}
