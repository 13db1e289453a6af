package io.fijigen.engine.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A textual-inversion embedding file ({@code .safetensors}): new prompt tokens and their vectors.
 * Web UIs save one tensor {@code emb_params} [n, hidden], the token being the file's name;
 * diffusers saves each token as its own key ({@code "<cat-toy>": [hidden]}). An embedding of n > 1
 * vectors stands for n consecutive tokens. SDXL embeddings hold the token's vectors for each of
 * SDXL's text encoders, {@code clip_l} [n, 768] and {@code clip_g} [n, 1280], the token being the
 * file's name: read them with {@link #readSdxl}.
 */
public final class EmbeddingFile {
    private static final String WEB_UI_KEY = "emb_params";
    private static final String CLIP_L = "clip_l";
    private static final String CLIP_G = "clip_g";

    /**
     * An SDXL embedding: one token and its n vectors for each text encoder.
     *
     * @param textEncoder {@code clip_l}, [n, hidden] float32: for text_encoder (CLIP ViT-L)
     * @param textEncoder2 {@code clip_g}, [n, hidden] float32: for text_encoder_2 (OpenCLIP ViT-bigG)
     */
    public record SdxlEmbedding(String token, NDArray textEncoder, NDArray textEncoder2) {}

    private EmbeddingFile() {}

    /** Whether the file is an SDXL embedding (its keys are {@code clip_l} and {@code clip_g}), from the header. */
    public static boolean isSdxl(Path path) throws IOException {
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            return isSdxl(file);
        }
    }

    /**
     * The tokens of the file and their vectors, [n, hidden] float32 in {@code manager}.
     *
     * @throws IllegalArgumentException naming the file and the key, for SDXL embeddings (two text
     *     encoders) and tensors that are not [hidden] or [n, hidden]
     */
    public static Map<String, NDArray> read(Path path, NDManager manager) throws IOException {
        Map<String, NDArray> tokens = new LinkedHashMap<>();
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            if (isSdxl(file)) {
                throw new IllegalArgumentException("embedding " + path.getFileName() + " is for SDXL (clip_l/clip_g"
                        + " keys, one set of vectors per SDXL text encoder), not for this model's one text encoder");
            }
            for (Map.Entry<String, String> token : tokenKeys(path, file).entrySet()) {
                tokens.put(token.getKey(), load(file, token.getValue(), manager));
            }
        }
        return tokens;
    }

    /**
     * An SDXL embedding's token (the file's name) and its vectors for each text encoder, float32
     * in {@code manager}.
     *
     * @throws IllegalArgumentException naming the file, when it is not an SDXL embedding (a key other
     *     than clip_l and clip_g, or one of them missing) or its two tensors are not [hidden] or
     *     [n, hidden] with the same n
     */
    public static SdxlEmbedding readSdxl(Path path, NDManager manager) throws IOException {
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            checkSdxl(path, file);
            return new SdxlEmbedding(stem(path), load(file, CLIP_L, manager), load(file, CLIP_G, manager));
        }
    }

    /**
     * The tokens of the file and their shapes ([n, hidden]), from the header alone: what {@code
     * fijigen models} shows. An SDXL embedding's token is listed once per text encoder, as
     * {@code "name (text_encoder)"} and {@code "name (text_encoder_2)"}.
     *
     * @throws IllegalArgumentException as {@link #read} or {@link #readSdxl}
     */
    public static Map<String, long[]> shapes(Path path) throws IOException {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            if (isSdxl(file)) {
                checkSdxl(path, file);
                shapes.put(stem(path) + " (text_encoder)", vectorsShape(file.info(CLIP_L)));
                shapes.put(stem(path) + " (text_encoder_2)", vectorsShape(file.info(CLIP_G)));
                return shapes;
            }
            tokenKeys(path, file).forEach((token, key) -> shapes.put(token, vectorsShape(file.info(key))));
        }
        return shapes;
    }

    private static boolean isSdxl(SafetensorsFile file) {
        return file.contains(CLIP_L) || file.contains(CLIP_G);
    }

    private static void checkSdxl(Path path, SafetensorsFile file) {
        for (String key : file.names()) {
            if (!key.equals(CLIP_L) && !key.equals(CLIP_G)) {
                throw new IllegalArgumentException("embedding " + path.getFileName() + ": tensor '" + key
                        + "' is not clip_l or clip_g, the two tensors of an SDXL embedding");
            }
        }
        for (String key : List.of(CLIP_L, CLIP_G)) {
            if (!file.contains(key)) {
                throw new IllegalArgumentException("embedding " + path.getFileName() + " has no " + key + " tensor:"
                        + " an SDXL embedding needs clip_l (text_encoder) and clip_g (text_encoder_2)");
            }
            checkVectors(path, key, file.info(key).shape());
        }
        long vectorsL = vectorsShape(file.info(CLIP_L))[0];
        long vectorsG = vectorsShape(file.info(CLIP_G))[0];
        if (vectorsL != vectorsG) {
            throw new IllegalArgumentException("embedding " + path.getFileName() + " has " + vectorsL
                    + " clip_l vectors but " + vectorsG
                    + " clip_g vectors; an SDXL token has as many for each encoder");
        }
    }

    /** Token → tensor key, every tensor checked to be [hidden] or [n, hidden]. */
    private static Map<String, String> tokenKeys(Path path, SafetensorsFile file) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String key : file.names()) {
            checkVectors(path, key, file.info(key).shape());
            keys.put(key.equals(WEB_UI_KEY) ? stem(path) : key, key);
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("embedding " + path.getFileName() + " holds no tensors");
        }
        return keys;
    }

    private static void checkVectors(Path path, String key, long[] shape) {
        if (shape.length != 1 && shape.length != 2) {
            throw new IllegalArgumentException("embedding " + path.getFileName() + ": tensor '" + key
                    + "' has shape " + Arrays.toString(shape) + ", not [hidden] or [vectors, hidden]");
        }
    }

    /** [hidden] as one vector, [1, hidden]. */
    private static long[] vectorsShape(TensorInfo info) {
        long[] shape = info.shape();
        return shape.length == 1 ? new long[] {1, shape[0]} : shape;
    }

    private static NDArray load(SafetensorsFile file, String key, NDManager manager) {
        TensorInfo info = file.info(key);
        NDArray vectors = TensorLoader.load(manager, info, file.data(key), DataType.FLOAT32);
        return info.shape().length == 1 ? vectors.reshape(vectorsShape(info)) : vectors;
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
