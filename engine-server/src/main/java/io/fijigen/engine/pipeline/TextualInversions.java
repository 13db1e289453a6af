package io.fijigen.engine.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.fijigen.engine.model.ModelFamily;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.text.ClipTokenizer;
import io.fijigen.engine.weights.EmbeddingFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The textual-inversion embeddings of one job, as the reference's {@code load_textual_inversion}
 * adds them: each vector a new token after the vocabulary, an embedding of n vectors named T being
 * the tokens T, T_1, …, T_(n−1), written T in a prompt. SDXL's embeddings give each token a set of
 * vectors per text encoder (clip_l for the first, clip_g for the second), and both tokenizers add
 * the same tokens, as the reference loads them into each pair.
 */
final class TextualInversions {
    static final TextualInversions NONE = new TextualInversions(Map.of(), List.of(), List.of());

    /** A text encoder the vectors are for: how a file names its vectors, how a user names the encoder, its width. */
    private record Encoder(String vectorsName, String name, long hiddenSize) {}

    /** One token of a file and its vectors for each encoder, [n, hidden] each. */
    private record Embedding(Path file, String token, List<NDArray> vectors) {}

    private final Map<String, Integer> vectorCounts;
    private final List<String> tokens;
    /** The added tokens' vectors per text encoder, in id order, [tokens, hidden]; empty when there are none. */
    private final List<NDArray> vectors;

    private TextualInversions(Map<String, Integer> vectorCounts, List<String> tokens, List<NDArray> vectors) {
        this.vectorCounts = vectorCounts;
        this.tokens = tokens;
        this.vectors = vectors;
    }

    /**
     * Reads the embedding files into {@code manager} for {@code model}'s text encoders: SD 1.x/2.x
     * files ({@link #load(List, NDManager, long)}) or SDXL ones ({@link #loadSdxl}), as its family
     * takes them.
     */
    static TextualInversions load(List<Path> files, StableDiffusion model, NDManager manager) throws IOException {
        long hiddenSize = model.textEncoder().config().hiddenSize();
        return model.family() == ModelFamily.SDXL
                ? loadSdxl(files, manager, hiddenSize, model.textEncoder2().config().hiddenSize())
                : load(files, manager, hiddenSize);
    }

    /**
     * Reads SD 1.x/2.x embedding files (one text encoder) into {@code manager}.
     *
     * @throws IllegalArgumentException naming the file, when it is an SDXL embedding, its vectors do
     *     not have the text encoder's width or a token is in two files
     */
    static TextualInversions load(List<Path> files, NDManager manager, long hiddenSize) throws IOException {
        List<Embedding> embeddings = new ArrayList<>();
        for (Path file : files) {
            EmbeddingFile.read(file, manager).forEach((token, vectors) ->
                    embeddings.add(new Embedding(file, token, List.of(vectors))));
        }
        return of(embeddings, List.of(new Encoder("vectors", "text encoder", hiddenSize)));
    }

    /**
     * Reads SDXL embedding files ({@code clip_l} and {@code clip_g}) into {@code manager}.
     *
     * @throws IllegalArgumentException naming the file, when it is an SD 1.x/2.x embedding, its
     *     vectors do not have their encoder's width or a token is in two files
     */
    static TextualInversions loadSdxl(List<Path> files, NDManager manager, long hiddenSize, long hiddenSize2)
            throws IOException {
        List<Embedding> embeddings = new ArrayList<>();
        for (Path file : files) {
            if (!EmbeddingFile.isSdxl(file)) {
                throw new IllegalArgumentException("embedding " + file.getFileName() + " is for Stable Diffusion"
                        + " 1.x/2.x (one set of vectors, for one text encoder); the model is SDXL, whose two text"
                        + " encoders need an SDXL embedding (clip_l and clip_g vectors)");
            }
            EmbeddingFile.SdxlEmbedding embedding = EmbeddingFile.readSdxl(file, manager);
            embeddings.add(new Embedding(file, embedding.token(),
                    List.of(embedding.textEncoder(), embedding.textEncoder2())));
        }
        return of(embeddings, List.of(new Encoder("clip_l vectors", "text encoder", hiddenSize),
                new Encoder("clip_g vectors", "second text encoder", hiddenSize2)));
    }

    private static TextualInversions of(List<Embedding> embeddings, List<Encoder> encoders) {
        if (embeddings.isEmpty()) {
            return NONE;
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<String> tokens = new ArrayList<>();
        List<NDList> rows = encoders.stream().map(unused -> new NDList()).toList();
        for (Embedding embedding : embeddings) {
            String file = embedding.file().getFileName().toString();
            for (int e = 0; e < encoders.size(); e++) {
                Encoder encoder = encoders.get(e);
                long width = embedding.vectors().get(e).getShape().get(1);
                if (width != encoder.hiddenSize()) {
                    throw new IllegalArgumentException("embedding " + file + ": token '" + embedding.token() + "' has "
                            + encoder.vectorsName() + " of size " + width + ", the " + encoder.name() + "'s are "
                            + encoder.hiddenSize() + " (an embedding for another model?)");
                }
                rows.get(e).add(embedding.vectors().get(e));
            }
            int count = (int) embedding.vectors().get(0).getShape().get(0);
            if (counts.putIfAbsent(embedding.token(), count) != null) {
                throw new IllegalArgumentException("embedding " + file + ": token '" + embedding.token()
                        + "' is already given by another embedding");
            }
            tokens.add(embedding.token());
            for (int i = 1; i < count; i++) {
                tokens.add(embedding.token() + "_" + i);
            }
        }
        return new TextualInversions(counts, List.copyOf(tokens),
                rows.stream().map(encoderRows -> NDArrays.concat(encoderRows, 0)).toList());
    }

    /** The job's tokenizer: the model's (either of SDXL's) with these tokens added. */
    ClipTokenizer tokenizer(ClipTokenizer model) {
        return tokens.isEmpty() ? model : model.withAddedTokens(tokens);
    }

    /** The prompt with each multi-vector token T written out as "T T_1 … T_(n−1)", as the reference does. */
    String expand(String prompt) {
        String expanded = prompt;
        for (Map.Entry<String, Integer> token : vectorCounts.entrySet()) {
            if (token.getValue() > 1) {
                StringBuilder replacement = new StringBuilder(token.getKey());
                for (int i = 1; i < token.getValue(); i++) {
                    replacement.append(' ').append(token.getKey()).append('_').append(i);
                }
                expanded = expanded.replace(token.getKey(), replacement);
            }
        }
        return expanded;
    }

    /** The added tokens' vectors for the (first) text encoder, in id order, [tokens, hidden]; null without tokens. */
    NDArray vectors() {
        return vectors.isEmpty() ? null : vectors.get(0);
    }

    /** The added tokens' vectors for SDXL's second text encoder, as {@link #vectors()}; null for SD 1.x/2.x. */
    NDArray vectors2() {
        return vectors.size() < 2 ? null : vectors.get(1);
    }
}
