package io.fijigen.engine.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.fijigen.engine.text.ClipTokenizer;
import io.fijigen.engine.text.PromptChunk;
import io.fijigen.engine.text.PromptChunker;
import java.util.ArrayList;
import java.util.List;

/**
 * A request's prompts cut into one tokenizer's 77-token chunks ({@link PromptChunker}), with the
 * job's textual-inversion tokens written out and the chunk limit checked, and the chunks' encodings
 * joined back along the sequence: what {@link PromptEncoder} and {@link SdxlPromptEncoder} share.
 */
final class PromptChunks {
    /** One chunk's encoding [1, 77, D], made in {@code scope}. */
    @FunctionalInterface
    interface ChunkEncoder {
        NDArray encode(NDManager scope, int index);
    }

    private final PromptChunker chunker;
    private final TextualInversions inversions;

    PromptChunks(ClipTokenizer tokenizer, TextualInversions inversions) {
        this.chunker = new PromptChunker(inversions.tokenizer(tokenizer));
        this.inversions = inversions;
    }

    /**
     * The chunks of {@code text}, the request field {@code field}.
     *
     * @throws InvalidRequestException if it has a bad weight or needs more than {@link
     *     PromptEncoder#MAX_CHUNKS} chunks
     */
    List<PromptChunk> of(String field, String text) {
        List<PromptChunk> chunks;
        try {
            chunks = chunker.chunks(inversions.expand(text));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(field, field + ": " + e.getMessage());
        }
        int limit = PromptEncoder.MAX_CHUNKS;
        if (chunks.size() > limit) {
            int tokens = chunks.get(0).length() - 2;
            throw new InvalidRequestException(field, field + " needs " + chunks.size() + " chunks of " + tokens
                    + " tokens, more than the limit of " + limit + " (" + limit * tokens + " tokens)");
        }
        return chunks;
    }

    /** {@code chunks} and the empty prompt's chunk up to {@code count}, as the web UI pads cond and uncond. */
    List<PromptChunk> padded(List<PromptChunk> chunks, int count) {
        List<PromptChunk> padded = new ArrayList<>(chunks);
        while (padded.size() < count) {
            padded.add(chunker.empty());
        }
        return padded;
    }

    /** The ids of a chunk as the text encoder takes them, [1, 77] int64 in {@code manager}. */
    static NDArray ids(NDManager manager, PromptChunk chunk) {
        return manager.create(chunk.ids()).reshape(1, chunk.length());
    }

    /**
     * The encodings of {@code count} chunks concatenated along the sequence into [1, 77·count, D],
     * repeated once per image, in {@code manager}; each chunk is encoded in a scope of its own.
     */
    static NDArray join(NDManager manager, int count, ChunkEncoder encoder, int numImages) {
        try (NDManager scope = manager.newSubManager()) {
            NDList encodings = new NDList();
            for (int i = 0; i < count; i++) {
                try (NDManager chunkScope = scope.newSubManager()) {
                    NDArray encoding = encoder.encode(chunkScope, i);
                    encoding.attach(scope);
                    encodings.add(encoding);
                }
            }
            NDArray joined = encodings.size() == 1 ? encodings.head() : NDArrays.concat(encodings, 1);
            NDArray repeated = numImages == 1 ? joined : joined.repeat(0, numImages);
            repeated.attach(manager);
            return repeated;
        }
    }
}
