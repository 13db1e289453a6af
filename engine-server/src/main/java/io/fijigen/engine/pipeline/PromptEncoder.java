package io.fijigen.engine.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.fijigen.engine.nn.CLIPTextModel;
import io.fijigen.engine.text.ClipTokenizer;

/**
 * The reference's {@code encode_prompt}: prompt (and, with guidance, the negative prompt) padded to
 * 77 tokens and encoded, each repeated once per image; with guidance the unconditional half comes
 * first, as the reference concatenates {@code [negative, positive]}.
 */
public final class PromptEncoder {
    private final ClipTokenizer tokenizer;
    private final CLIPTextModel textEncoder;
    private final TextualInversions inversions;

    public PromptEncoder(ClipTokenizer tokenizer, CLIPTextModel textEncoder) {
        this(tokenizer, textEncoder, TextualInversions.NONE);
    }

    /** With the job's textual-inversion tokens added to the tokenizer and the token embedding. */
    PromptEncoder(ClipTokenizer tokenizer, CLIPTextModel textEncoder, TextualInversions inversions) {
        this.tokenizer = inversions.tokenizer(tokenizer);
        this.textEncoder = textEncoder;
        this.inversions = inversions;
    }

    /**
     * Text embeddings [B or 2B, 77, D] in {@code manager}. Clip skip applies to the prompt only:
     * diffusers encodes the negative prompt from the last layer whatever {@code clip_skip} says,
     * and we follow the reference.
     */
    public NDArray encode(NDManager manager, String prompt, String negativePrompt, int numImages, boolean guided,
            int clipSkip) {
        NDArray positive = embed(manager, prompt, clipSkip, numImages);
        if (!guided) {
            return positive;
        }
        NDArray negative = embed(manager, negativePrompt, 1, numImages);
        NDArray both = negative.concat(positive, 0);
        negative.close();
        positive.close();
        return both;
    }

    private NDArray embed(NDManager manager, String text, int clipSkip, int numImages) {
        long[] ids = tokenizer.encodePadded(inversions.expand(text), tokenizer.maxLength());
        try (NDManager scope = manager.newSubManager()) {
            NDArray idArray = scope.create(ids).reshape(1, ids.length);
            NDArray embeddings = textEncoder.encode(idArray, clipSkip, inversions.vectors());
            NDArray repeated = numImages == 1 ? embeddings : embeddings.repeat(0, numImages);
            repeated.attach(manager);
            return repeated;
        }
    }
}
