package io.fijigen.engine.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.fijigen.engine.nn.CLIPTextModel;
import io.fijigen.engine.text.ClipTokenizer;
import io.fijigen.engine.text.PromptChunk;
import io.fijigen.engine.text.PromptChunker;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference's {@code encode_prompt}, extended as the web UI extends it: prompt (and, with
 * guidance, the negative prompt) cut into 77-token chunks ({@link PromptChunker}), each chunk
 * encoded on its own and re-weighted, the chunks' encodings concatenated along the sequence into
 * [1, 77·n, D], each repeated once per image. With guidance the unconditional half comes first, as
 * the reference concatenates {@code [negative, positive]}, and the side with fewer chunks is padded
 * with the empty prompt's chunk, as the web UI pads cond and uncond to the same length. A plain
 * prompt of up to 75 tokens is one chunk with the reference's ids and no re-weighting, so it
 * encodes exactly as the reference does.
 */
public final class PromptEncoder {
    /** 32 chunks are 2400 tokens, far beyond any useful prompt; the limit keeps a request's cost bounded. */
    public static final int MAX_CHUNKS = 32;

    private final PromptChunker chunker;
    private final CLIPTextModel textEncoder;
    private final TextualInversions inversions;

    public PromptEncoder(ClipTokenizer tokenizer, CLIPTextModel textEncoder) {
        this(tokenizer, textEncoder, TextualInversions.NONE);
    }

    /** With the job's textual-inversion tokens added to the tokenizer and the token embedding. */
    PromptEncoder(ClipTokenizer tokenizer, CLIPTextModel textEncoder, TextualInversions inversions) {
        this.chunker = new PromptChunker(inversions.tokenizer(tokenizer));
        this.textEncoder = textEncoder;
        this.inversions = inversions;
    }

    /**
     * Text embeddings [B or 2B, 77·n, D] in {@code manager}. Clip skip applies to the prompt only:
     * diffusers encodes the negative prompt from the last layer whatever {@code clip_skip} says,
     * and we follow the reference.
     *
     * @throws InvalidRequestException if a prompt has a bad weight or needs more than {@link #MAX_CHUNKS} chunks
     */
    public NDArray encode(NDManager manager, String prompt, String negativePrompt, int numImages, boolean guided,
            int clipSkip) {
        List<PromptChunk> positive = chunks("prompt", prompt);
        if (!guided) {
            return embed(manager, positive, clipSkip, numImages);
        }
        // The reference encodes the empty prompt for a negative prompt not given.
        List<PromptChunk> negative = chunks("negative_prompt", negativePrompt == null ? "" : negativePrompt);
        int count = Math.max(positive.size(), negative.size());
        NDArray negativeEmbeddings = embed(manager, padded(negative, count), 1, numImages);
        NDArray positiveEmbeddings = embed(manager, padded(positive, count), clipSkip, numImages);
        NDArray both = negativeEmbeddings.concat(positiveEmbeddings, 0);
        negativeEmbeddings.close();
        positiveEmbeddings.close();
        return both;
    }

    private List<PromptChunk> chunks(String field, String text) {
        List<PromptChunk> chunks;
        try {
            chunks = chunker.chunks(inversions.expand(text));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(field, field + ": " + e.getMessage());
        }
        if (chunks.size() > MAX_CHUNKS) {
            int tokens = chunks.get(0).length() - 2;
            throw new InvalidRequestException(field, field + " needs " + chunks.size() + " chunks of " + tokens
                    + " tokens, more than the limit of " + MAX_CHUNKS + " (" + MAX_CHUNKS * tokens + " tokens)");
        }
        return chunks;
    }

    private List<PromptChunk> padded(List<PromptChunk> chunks, int count) {
        List<PromptChunk> padded = new ArrayList<>(chunks);
        while (padded.size() < count) {
            padded.add(chunker.empty());
        }
        return padded;
    }

    private NDArray embed(NDManager manager, List<PromptChunk> chunks, int clipSkip, int numImages) {
        try (NDManager scope = manager.newSubManager()) {
            NDList encodings = new NDList();
            for (PromptChunk chunk : chunks) {
                try (NDManager chunkScope = scope.newSubManager()) {
                    NDArray ids = chunkScope.create(chunk.ids()).reshape(1, chunk.length());
                    NDArray encoding = textEncoder.encode(ids, clipSkip, inversions.vectors());
                    // Weights of 1 would leave the chunk as it is (z·1 = z, m/m = 1), short of a 0/0
                    // where its mean is exactly 0; skipping them keeps plain prompts bit for bit.
                    if (chunk.isWeighted()) {
                        encoding = PromptEmphasis.apply(encoding, chunk.weights());
                    }
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
