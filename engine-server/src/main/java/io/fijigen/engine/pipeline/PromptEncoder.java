package io.fijigen.engine.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.fijigen.engine.nn.CLIPTextModel;
import io.fijigen.engine.text.ClipTokenizer;
import io.fijigen.engine.text.PromptChunk;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference's {@code encode_prompt}, extended as the web UI extends it: prompt (and, with
 * guidance, the negative prompt) cut into 77-token chunks ({@link PromptChunks}), each chunk
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

    private final PromptChunks chunks;
    private final CLIPTextModel textEncoder;
    private final TextualInversions inversions;

    public PromptEncoder(ClipTokenizer tokenizer, CLIPTextModel textEncoder) {
        this(tokenizer, textEncoder, TextualInversions.NONE);
    }

    /** With the job's textual-inversion tokens added to the tokenizer and the token embedding. */
    PromptEncoder(ClipTokenizer tokenizer, CLIPTextModel textEncoder, TextualInversions inversions) {
        this.chunks = new PromptChunks(tokenizer, inversions);
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
        return encode(manager, prompt, negativePrompt, List.of(), numImages, guided, clipSkip).text();
    }

    /**
     * The text embeddings with regional prompts: each distinct region text ({@link RegionTexts})
     * encoded as the prompt is, and every embedding — prompt, negative prompt, regions — padded with
     * the empty prompt's chunk to the longest one's chunk count, so the regions batch together.
     */
    Encoded encode(NDManager manager, String prompt, String negativePrompt, List<String> regionPrompts,
            int numImages, boolean guided, int clipSkip) {
        List<PromptChunk> positive = chunks.of("prompt", prompt);
        List<List<PromptChunk>> regionChunks = new ArrayList<>();
        for (int r = 0; r < regionPrompts.size(); r++) {
            regionChunks.add(chunks.of("regions[" + r + "].prompt", regionPrompts.get(r)));
        }
        RegionTexts<List<PromptChunk>> regions = RegionTexts.of(positive, regionChunks);
        int count = positive.size();
        for (List<PromptChunk> region : regions.distinct()) {
            count = Math.max(count, region.size());
        }
        List<PromptChunk> negative = null;
        if (guided) {
            // The reference encodes the empty prompt for a negative prompt not given.
            negative = chunks.of("negative_prompt", negativePrompt == null ? "" : negativePrompt);
            count = Math.max(count, negative.size());
        }
        NDArray positiveEmbeddings = embed(manager, chunks.padded(positive, count), clipSkip, numImages);
        List<NDArray> distinct = new ArrayList<>();
        for (List<PromptChunk> region : regions.distinct()) {
            distinct.add(embed(manager, chunks.padded(region, count), clipSkip, numImages));
        }
        RegionContexts contexts = RegionContexts.of(positiveEmbeddings, distinct, regions.groupOf());
        if (!guided) {
            return new Encoded(positiveEmbeddings, contexts);
        }
        NDArray negativeEmbeddings = embed(manager, chunks.padded(negative, count), 1, numImages);
        NDArray both = negativeEmbeddings.concat(positiveEmbeddings, 0);
        negativeEmbeddings.close();
        positiveEmbeddings.close();
        return new Encoded(both, contexts);
    }

    /** The text embeddings [B or 2B, 77·n, D] and the regional prompts' contexts. */
    record Encoded(NDArray text, RegionContexts regions) {}

    private NDArray embed(NDManager manager, List<PromptChunk> prompt, int clipSkip, int numImages) {
        return PromptChunks.join(manager, prompt.size(), (scope, i) -> PromptEmphasis.apply(
                textEncoder.encode(PromptChunks.ids(scope, prompt.get(i)), clipSkip, inversions.vectors()),
                prompt.get(i)), numImages);
    }
}
