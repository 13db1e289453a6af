package io.fijigen.engine.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
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
 * the tokens T, T_1, …, T_(n−1), written T in a prompt.
 */
final class TextualInversions {
    static final TextualInversions NONE = new TextualInversions(Map.of(), List.of(), null);

    private final Map<String, Integer> vectorCounts;
    private final List<String> tokens;
    private final NDArray vectors;

    private TextualInversions(Map<String, Integer> vectorCounts, List<String> tokens, NDArray vectors) {
        this.vectorCounts = vectorCounts;
        this.tokens = tokens;
        this.vectors = vectors;
    }

    /**
     * Reads the embedding files into {@code manager}.
     *
     * @throws IllegalArgumentException naming the file, when its vectors do not have the text
     *     encoder's width or a token is in two files
     */
    static TextualInversions load(List<Path> files, NDManager manager, long hiddenSize) throws IOException {
        if (files.isEmpty()) {
            return NONE;
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<String> tokens = new ArrayList<>();
        NDList rows = new NDList();
        for (Path file : files) {
            for (Map.Entry<String, NDArray> embedding : EmbeddingFile.read(file, manager).entrySet()) {
                String token = embedding.getKey();
                NDArray vectors = embedding.getValue();
                if (vectors.getShape().get(1) != hiddenSize) {
                    throw new IllegalArgumentException("embedding " + file.getFileName() + ": token '" + token
                            + "' has vectors of size " + vectors.getShape().get(1) + ", the text encoder's are "
                            + hiddenSize + " (an embedding for another model?)");
                }
                int count = (int) vectors.getShape().get(0);
                if (counts.putIfAbsent(token, count) != null) {
                    throw new IllegalArgumentException("embedding " + file.getFileName() + ": token '" + token
                            + "' is already given by another embedding");
                }
                tokens.add(token);
                for (int i = 1; i < count; i++) {
                    tokens.add(token + "_" + i);
                }
                rows.add(vectors);
            }
        }
        return new TextualInversions(counts, List.copyOf(tokens), NDArrays.concat(rows, 0));
    }

    /** The job's tokenizer: the model's with these tokens added. */
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

    /** The added tokens' vectors in id order, [tokens, hidden]; null when there are none. */
    NDArray vectors() {
        return vectors;
    }
}
