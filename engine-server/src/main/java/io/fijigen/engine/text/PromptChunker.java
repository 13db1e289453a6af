package io.fijigen.engine.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a prompt into the text encoder's 77-token chunks as the web UI does ({@code
 * tokenize_line} of AUTOMATIC1111's {@code sd_hijack_clip.py}), so prompts of any length, weights
 * and {@code BREAK} work. A prompt without any weighting syntax that fits into one chunk gets
 * exactly the reference pipeline's (diffusers') ids instead, so plain prompts encode as there.
 *
 * <p>The web UI's rules: each run of the {@link PromptWeightParser} is tokenized on its own; the
 * tokens fill chunks of 75; when a chunk is full and a comma came within its last 20 tokens, the
 * tokens after that comma move on to the next chunk ("comma backtracking"); {@code BREAK} closes
 * the current chunk, even an empty one; a chunk is framed by BOS and EOS and filled with EOS;
 * where the tokenizer pads with another token (SD 2's "!"), everything after the chunk's first EOS
 * becomes that token, as the web UI's {@code id_pad} for OpenCLIP.
 */
public final class PromptChunker {
    /** The web UI's default {@code comma_padding_backtrack}. */
    public static final int COMMA_BACKTRACK = 20;
    private static final String COMMA = ",</w>";

    private final ClipTokenizer tokenizer;
    private final int chunkLength;
    private final int commaId;

    public PromptChunker(ClipTokenizer tokenizer) {
        this.tokenizer = tokenizer;
        this.chunkLength = tokenizer.maxLength() - 2;
        this.commaId = tokenizer.vocabId(COMMA);
    }

    /**
     * The prompt's chunks, at least one.
     *
     * @throws IllegalArgumentException if the prompt's weighting syntax has a bad weight
     */
    public List<PromptChunk> chunks(String prompt) {
        List<WeightedText> runs = PromptWeightParser.parse(prompt);
        boolean plain = runs.size() == 1 && runs.get(0).weight() == 1.0 && runs.get(0).text().equals(prompt);
        if (plain && tokenizer.encode(prompt).length - 2 <= chunkLength) {
            return List.of(PromptChunk.unweighted(tokenizer.encodePadded(prompt, chunkLength + 2)));
        }
        Builder builder = new Builder();
        for (WeightedText run : runs) {
            if (run.chunkBreak()) {
                builder.close();
                continue;
            }
            int[] ids = tokenizer.encode(run.text());
            for (int i = 1; i < ids.length - 1; i++) {
                builder.add(ids[i], (float) run.weight());
            }
        }
        return builder.finish();
    }

    /** The chunk of the empty prompt, which pads the shorter of prompt and negative prompt. */
    public PromptChunk empty() {
        return frame(new int[0], new float[0], 0);
    }

    /** BOS, the content, EOS filling the rest; after the first EOS, the pad token. */
    private PromptChunk frame(int[] content, float[] contentWeights, int count) {
        long[] ids = new long[chunkLength + 2];
        float[] chunkWeights = new float[chunkLength + 2];
        Arrays.fill(ids, tokenizer.eosId());
        Arrays.fill(chunkWeights, 1f);
        ids[0] = tokenizer.bosId();
        for (int i = 0; i < count; i++) {
            ids[i + 1] = content[i];
            chunkWeights[i + 1] = contentWeights[i];
        }
        // Only where pad and EOS differ, as the reference: with SD 1.x's tokenizer a literal EOS in
        // the prompt keeps the tokens after it.
        if (tokenizer.padId() != tokenizer.eosId()) {
            int firstEos = 1;
            while (ids[firstEos] != tokenizer.eosId()) {
                firstEos++;
            }
            Arrays.fill(ids, firstEos + 1, ids.length, tokenizer.padId());
        }
        return new PromptChunk(ids, chunkWeights);
    }

    /** The chunk being filled and the chunks done. */
    private final class Builder {
        private final List<PromptChunk> done = new ArrayList<>();
        private final int[] tokens = new int[chunkLength];
        private final float[] weights = new float[chunkLength];
        private int size;
        private int lastComma = -1;

        void add(int token, float weight) {
            if (token == commaId) {
                lastComma = size;
            } else if (size == chunkLength && lastComma != -1 && size - lastComma <= COMMA_BACKTRACK) {
                int moved = size - (lastComma + 1);
                int[] movedTokens = Arrays.copyOfRange(tokens, lastComma + 1, size);
                float[] movedWeights = Arrays.copyOfRange(weights, lastComma + 1, size);
                size = lastComma + 1;
                close();
                System.arraycopy(movedTokens, 0, tokens, 0, moved);
                System.arraycopy(movedWeights, 0, weights, 0, moved);
                size = moved;
            }
            if (size == chunkLength) {
                close();
            }
            tokens[size] = token;
            weights[size] = weight;
            size++;
        }

        void close() {
            done.add(frame(tokens, weights, size));
            size = 0;
            lastComma = -1;
        }

        List<PromptChunk> finish() {
            if (size > 0 || done.isEmpty()) {
                close();
            }
            return List.copyOf(done);
        }
    }
}
