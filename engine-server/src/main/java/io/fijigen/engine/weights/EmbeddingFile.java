package io.fijigen.engine.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A textual-inversion embedding file ({@code .safetensors}): new prompt tokens and their vectors.
 * Web UIs save one tensor {@code emb_params} [n, hidden], the token being the file's name;
 * diffusers saves each token as its own key ({@code "<cat-toy>": [hidden]}). An embedding of n > 1
 * vectors stands for n consecutive tokens.
 */
public final class EmbeddingFile {
    private static final String WEB_UI_KEY = "emb_params";

    private EmbeddingFile() {}

    /**
     * The tokens of the file and their vectors, [n, hidden] float32 in {@code manager}.
     *
     * @throws IllegalArgumentException naming the file and the key, for SDXL embeddings (two text
     *     encoders) and tensors that are not [hidden] or [n, hidden]
     */
    public static Map<String, NDArray> read(Path path, NDManager manager) throws IOException {
        Map<String, NDArray> tokens = new LinkedHashMap<>();
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            for (Map.Entry<String, String> token : tokenKeys(path, file).entrySet()) {
                TensorInfo info = file.info(token.getValue());
                NDArray vectors = TensorLoader.load(manager, info, file.data(token.getValue()), DataType.FLOAT32);
                long[] shape = info.shape();
                tokens.put(token.getKey(), shape.length == 1 ? vectors.reshape(1, shape[0]) : vectors);
            }
        }
        return tokens;
    }

    /**
     * The tokens of the file and their shapes ([n, hidden]), from the header alone: what {@code
     * fijigen models} shows.
     *
     * @throws IllegalArgumentException as {@link #read}
     */
    public static Map<String, long[]> shapes(Path path) throws IOException {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            tokenKeys(path, file).forEach((token, key) -> {
                long[] shape = file.info(key).shape();
                shapes.put(token, shape.length == 1 ? new long[] {1, shape[0]} : shape);
            });
        }
        return shapes;
    }

    /** Token → tensor key, every tensor checked to be [hidden] or [n, hidden]. */
    private static Map<String, String> tokenKeys(Path path, SafetensorsFile file) {
        if (file.contains("clip_l") || file.contains("clip_g")) {
            throw new IllegalArgumentException("embedding " + path.getFileName() + " is for SDXL (clip_l/clip_g"
                    + " keys), which this engine does not run");
        }
        Map<String, String> keys = new LinkedHashMap<>();
        for (String key : file.names()) {
            long[] shape = file.info(key).shape();
            if (shape.length != 1 && shape.length != 2) {
                throw new IllegalArgumentException("embedding " + path.getFileName() + ": tensor '" + key
                        + "' has shape " + java.util.Arrays.toString(shape) + ", not [hidden] or [vectors, hidden]");
            }
            keys.put(key.equals(WEB_UI_KEY) ? stem(path) : key, key);
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("embedding " + path.getFileName() + " holds no tensors");
        }
        return keys;
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
