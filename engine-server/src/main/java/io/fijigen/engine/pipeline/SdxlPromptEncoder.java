package io.fijigen.engine.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.fijigen.engine.config.ModelIndex;
import io.fijigen.engine.model.ModelFamily;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.nn.CLIPTextModel;
import io.fijigen.engine.nn.CLIPTextModelWithProjection;
import io.fijigen.engine.text.ClipTokenizer;
import io.fijigen.engine.text.PromptChunk;
import java.util.ArrayList;
import java.util.List;

/**
 * SDXL's {@code encode_prompt}: each tokenizer cuts the prompt into its own chunks ({@code
 * tokenizer_2} pads with "!"), and each chunk's embedding is the raw penultimate hidden states
 * ({@code hidden_states[-2]}, not through the final layer norm) of {@code text_encoder} and {@code
 * text_encoder_2} concatenated on the last axis; the pooled embedding is {@code text_encoder_2}'s
 * {@code text_embeds}. Long and weighted prompts and {@code BREAK} go as in {@link PromptEncoder},
 * on both encoders chunk by chunk, each encoder's chunk re-weighted on its own (the web UI's two
 * SDXL embedders each apply emphasis), the pooled embedding from the first chunk unweighted, as the
 * web UI takes it. A plain prompt of up to 75 tokens is one chunk with the reference's ids, so it
 * encodes exactly as diffusers does.
 *
 * <p>A negative prompt that is not given (null) is all zeros, embeddings and pooled, when the model
 * says {@code force_zeros_for_empty_prompt}; an empty one ("") is encoded as any prompt.
 *
 * <p>A job's textual-inversion tokens ({@link TextualInversions}) are added to both tokenizers, each
 * encoder looking up its own vectors (clip_l in {@code text_encoder}, clip_g in {@code
 * text_encoder_2}), the pooled embedding too.
 */
public final class SdxlPromptEncoder {
    /**
     * diffusers' {@code prompt_embeds} [B or 2B, 77·n, D1 + D2] and {@code pooled_prompt_embeds}
     * [B or 2B, projection_dim]; with guidance the negative rows come first, as the reference
     * concatenates {@code [negative, positive]}.
     */
    public record Embeddings(NDArray promptEmbeds, NDArray pooledPromptEmbeds) {}

    /** A prompt's chunks per tokenizer: the counts differ only where tokenizer_2 splits off "!", its pad token. */
    private record Tokenized(List<PromptChunk> chunks, List<PromptChunk> chunks2) {
        int count() {
            return Math.max(chunks.size(), chunks2.size());
        }
    }

    private final PromptChunks chunks;
    private final PromptChunks chunks2;
    private final CLIPTextModel textEncoder;
    private final CLIPTextModelWithProjection textEncoder2;
    private final boolean forceZerosForEmptyPrompt;
    private final TextualInversions inversions;

    public SdxlPromptEncoder(ClipTokenizer tokenizer, CLIPTextModel textEncoder, ClipTokenizer tokenizer2,
            CLIPTextModelWithProjection textEncoder2, boolean forceZerosForEmptyPrompt) {
        this(tokenizer, textEncoder, tokenizer2, textEncoder2, forceZerosForEmptyPrompt, TextualInversions.NONE);
    }

    /** With the job's textual-inversion tokens added to both tokenizers and token embeddings. */
    SdxlPromptEncoder(ClipTokenizer tokenizer, CLIPTextModel textEncoder, ClipTokenizer tokenizer2,
            CLIPTextModelWithProjection textEncoder2, boolean forceZerosForEmptyPrompt, TextualInversions inversions) {
        this.chunks = new PromptChunks(tokenizer, inversions);
        this.chunks2 = new PromptChunks(tokenizer2, inversions);
        this.textEncoder = textEncoder;
        this.textEncoder2 = textEncoder2;
        this.forceZerosForEmptyPrompt = forceZerosForEmptyPrompt;
        this.inversions = inversions;
    }

    /**
     * The encoder of a loaded SDXL model. A single-file checkpoint has no model_index.json and
     * takes the SDXL pipelines' default, {@code force_zeros_for_empty_prompt} true.
     */
    public static SdxlPromptEncoder of(StableDiffusion model) {
        return of(model, TextualInversions.NONE);
    }

    /** {@link #of(StableDiffusion)} with a job's textual inversions, as {@link TextualInversions#load} reads them. */
    static SdxlPromptEncoder of(StableDiffusion model, TextualInversions inversions) {
        if (model.family() != ModelFamily.SDXL) {
            throw new IllegalArgumentException(model.name() + " is not an SDXL model (" + model.family() + ")");
        }
        ModelIndex index = model.index();
        return new SdxlPromptEncoder(model.tokenizer(), model.textEncoder(), model.tokenizer2(), model.textEncoder2(),
                index == null || index.forceZerosForEmptyPrompt(), inversions);
    }

    /**
     * The prompt's embeddings in {@code manager}, each repeated once per image. Clip skip (1: no
     * skip, as web UIs count) applies to the prompt only, as diffusers' {@code clip_skip} does.
     *
     * @param negativePrompt null when not given
     * @throws InvalidRequestException if a prompt has a bad weight or needs more than {@link
     *     PromptEncoder#MAX_CHUNKS} chunks
     */
    public Embeddings encode(NDManager manager, String prompt, String negativePrompt, int numImages, boolean guided,
            int clipSkip) {
        return encode(manager, prompt, negativePrompt, List.of(), numImages, guided, clipSkip).embeddings();
    }

    /**
     * The embeddings with regional prompts, as {@link PromptEncoder}'s: each distinct region text's
     * prompt embeddings (both encoders), everything padded to the longest chunk count. The pooled
     * embedding stays the base prompt's: regions change the cross-attention context only.
     */
    Encoded encode(NDManager manager, String prompt, String negativePrompt, List<String> regionPrompts,
            int numImages, boolean guided, int clipSkip) {
        Tokenized positive = tokenize("prompt", prompt);
        List<Tokenized> regionChunks = new ArrayList<>();
        for (int r = 0; r < regionPrompts.size(); r++) {
            regionChunks.add(tokenize("regions[" + r + "].prompt", regionPrompts.get(r)));
        }
        RegionTexts<Tokenized> regions = RegionTexts.of(positive, regionChunks);
        int count = positive.count();
        for (Tokenized region : regions.distinct()) {
            count = Math.max(count, region.count());
        }
        Tokenized negative = null;
        if (guided && !(negativePrompt == null && forceZerosForEmptyPrompt)) {
            negative = tokenize("negative_prompt", negativePrompt == null ? "" : negativePrompt);
            count = Math.max(count, negative.count());
        }
        Embeddings conditional = embed(manager, positive, count, clipSkip, numImages);
        List<NDArray> distinct = new ArrayList<>();
        for (Tokenized region : regions.distinct()) {
            Embeddings embeddings = embed(manager, region, count, clipSkip, numImages);
            embeddings.pooledPromptEmbeds().close();
            distinct.add(embeddings.promptEmbeds());
        }
        RegionContexts contexts = RegionContexts.of(conditional.promptEmbeds(), distinct, regions.groupOf());
        if (!guided) {
            return new Encoded(conditional, contexts);
        }
        Embeddings unconditional = negative != null ? embed(manager, negative, count, 1, numImages)
                : new Embeddings(conditional.promptEmbeds().zerosLike(), conditional.pooledPromptEmbeds().zerosLike());
        return new Encoded(concat(unconditional, conditional), contexts);
    }

    /** The embeddings and the regional prompts' contexts. */
    record Encoded(Embeddings embeddings, RegionContexts regions) {}

    private Tokenized tokenize(String field, String text) {
        return new Tokenized(chunks.of(field, text), chunks2.of(field, text));
    }

    private Embeddings embed(NDManager manager, Tokenized prompt, int count, int clipSkip, int numImages) {
        List<PromptChunk> first = chunks.padded(prompt.chunks(), count);
        List<PromptChunk> second = chunks2.padded(prompt.chunks2(), count);
        // diffusers' clip_skip k takes hidden_states[-(k + 2)]; ours counts 1 as no skip.
        int layersFromEnd = clipSkip + 1;
        NDArray[] pooled = new NDArray[1];
        NDArray embeds = PromptChunks.join(manager, count, (scope, i) -> {
            NDArray one = PromptEmphasis.apply(textEncoder.hiddenStates(PromptChunks.ids(scope, first.get(i)),
                    layersFromEnd, inversions.vectors()), first.get(i));
            NDArray ids = PromptChunks.ids(scope, second.get(i));
            NDArray two;
            if (i == 0) {
                // The pooled embedding is the first chunk's, from the same pass as its hidden states.
                CLIPTextModelWithProjection.HiddenStatesAndTextEmbeds out =
                        textEncoder2.hiddenStatesAndTextEmbeds(ids, layersFromEnd, inversions.vectors2());
                pooled[0] = numImages == 1 ? out.textEmbeds() : out.textEmbeds().repeat(0, numImages);
                pooled[0].attach(manager);
                two = out.hiddenStates();
            } else {
                two = textEncoder2.textModel().hiddenStates(ids, layersFromEnd, inversions.vectors2());
            }
            return one.concat(PromptEmphasis.apply(two, second.get(i)), 2);
        }, numImages);
        return new Embeddings(embeds, pooled[0]);
    }

    private static Embeddings concat(Embeddings negative, Embeddings positive) {
        Embeddings both = new Embeddings(negative.promptEmbeds().concat(positive.promptEmbeds(), 0),
                negative.pooledPromptEmbeds().concat(positive.pooledPromptEmbeds(), 0));
        for (Embeddings side : List.of(negative, positive)) {
            side.promptEmbeds().close();
            side.pooledPromptEmbeds().close();
        }
        return both;
    }
}
