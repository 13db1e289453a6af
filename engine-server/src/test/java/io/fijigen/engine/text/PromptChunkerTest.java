package io.fijigen.engine.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web UI's {@code tokenize_line} on the fixture tokenizers, chunk by chunk, id by id. Ids of
 * CLIP's vocabulary used: BOS 49406, EOS 49407, "a" 320, "cat" 2368, "dog" 1929, "," 267, "on"
 * 525, "mat" 9063; SD 2 pads with "!" (0).
 */
class PromptChunkerTest {
    private static final int BOS = 49406;
    private static final int EOS = 49407;
    private static final int A = 320;
    private static final int CAT = 2368;
    private static final int DOG = 1929;
    private static final int COMMA = 267;
    private static final int ON = 525;
    private static final int MAT = 9063;
    private static final float ROUND = 1.1f;
    private static final float SQUARE = (float) (1 / 1.1);

    private static ClipTokenizer sd15;
    private static PromptChunker chunker;
    private static PromptChunker sd2Chunker;

    @BeforeAll
    static void load() throws IOException {
        sd15 = ClipTokenizer.load(TokenizerFixtures.tokenizerDir("tiny-sd15"));
        chunker = new PromptChunker(sd15);
        sd2Chunker = new PromptChunker(ClipTokenizer.load(TokenizerFixtures.tokenizerDir("tiny-sd2")));
    }

    /** Expected chunk: BOS, the content, EOS, then {@code pad} up to 77; weights 1 outside the content. */
    private static PromptChunk chunk(int pad, int[] content, float[] weights) {
        long[] ids = new long[77];
        float[] all = new float[77];
        Arrays.fill(ids, pad);
        Arrays.fill(all, 1f);
        ids[0] = BOS;
        for (int i = 0; i < content.length; i++) {
            ids[i + 1] = content[i];
            all[i + 1] = weights[i];
        }
        ids[content.length + 1] = EOS;
        return new PromptChunk(ids, all);
    }

    private static PromptChunk chunk(int... content) {
        float[] ones = new float[content.length];
        Arrays.fill(ones, 1f);
        return chunk(EOS, content, ones);
    }

    private static int[] repeat(int id, int times) {
        return IntStream.generate(() -> id).limit(times).toArray();
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }

    private static float[] weights(int count, float weight, int from) {
        float[] weights = new float[count];
        Arrays.fill(weights, 1f);
        Arrays.fill(weights, from, count, weight);
        return weights;
    }

    @Test
    void aPlainPromptHasTheReferencePipelinesIds() {
        List<PromptChunk> chunks = chunker.chunks("a cat on a mat");
        assertThat(chunks).containsExactly(chunk(A, CAT, ON, A, MAT));
        assertThat(chunks.get(0).ids()).containsExactly(sd15.encodePadded("a cat on a mat", 77));
        assertThat(chunks.get(0).isWeighted()).isFalse();
    }

    @Test
    void weightsFollowTheirTokens() {
        List<PromptChunk> chunks = chunker.chunks("a (cat:1.5) on [a mat]");
        assertThat(chunks).containsExactly(chunk(EOS, new int[] {A, CAT, ON, A, MAT},
                new float[] {1f, 1.5f, 1f, SQUARE, SQUARE}));
        assertThat(chunks.get(0).isWeighted()).isTrue();
    }

    @Test
    void sd2PadsWithItsPadTokenAfterTheFirstEos() {
        assertThat(sd2Chunker.chunks("(cat)")).containsExactly(chunk(0, new int[] {CAT}, new float[] {ROUND}));
        assertThat(sd2Chunker.empty()).isEqualTo(chunk(0, new int[0], new float[0]));
    }

    /** The web UI pads everything after the first EOS, a literal one included; a plain prompt keeps the reference's ids. */
    @Test
    void aLiteralEndOfTextEndsAWeightedChunksContentOnSd2() {
        assertThat(sd2Chunker.chunks("(a) <|endoftext|> cat"))
                .containsExactly(chunk(0, new int[] {A}, new float[] {ROUND}));
        assertThat(chunker.chunks("(a) <|endoftext|> cat"))
                .containsExactly(chunk(EOS, new int[] {A, EOS, CAT}, new float[] {ROUND, 1f, 1f}));
        long[] plain = sd2Chunker.chunks("a <|endoftext|> cat").get(0).ids();
        assertThat(Arrays.copyOf(plain, 6)).containsExactly(BOS, A, EOS, CAT, EOS, 0);
    }

    @Test
    void emptyPromptIsOneChunkOfBosAndEos() {
        assertThat(chunker.chunks("")).containsExactly(chunk());
        assertThat(chunker.empty()).isEqualTo(chunk());
        assertThat(chunker.chunks("()")).containsExactly(chunk());
    }

    @Test
    void seventyFiveTokensFitOneChunkAndTheSeventySixthStartsTheNext() {
        assertThat(chunker.chunks("cat ".repeat(75))).containsExactly(chunk(repeat(CAT, 75)));
        assertThat(chunker.chunks("cat ".repeat(76))).containsExactly(chunk(repeat(CAT, 75)), chunk(CAT));
        assertThat(chunker.chunks("cat ".repeat(80))).containsExactly(chunk(repeat(CAT, 75)), chunk(repeat(CAT, 5)));
    }

    @Test
    void aCommaWithinTheLast20TokensMovesTheRestToTheNextChunk() {
        // 70 cats, a comma at index 70: at the 76th token the 4 dogs after the comma move on.
        assertThat(chunker.chunks("cat ".repeat(70) + ", " + "dog ".repeat(10)))
                .containsExactly(chunk(concat(repeat(CAT, 70), new int[] {COMMA})), chunk(repeat(DOG, 10)));
        // Comma at index 55: 75 - 55 = 20 tokens back, still moved.
        assertThat(chunker.chunks("cat ".repeat(55) + ", " + "dog ".repeat(30)))
                .containsExactly(chunk(concat(repeat(CAT, 55), new int[] {COMMA})), chunk(repeat(DOG, 30)));
        // Comma at index 54: 21 back, too far; the chunk is cut at 75 tokens.
        assertThat(chunker.chunks("cat ".repeat(54) + ", " + "dog ".repeat(30)))
                .containsExactly(chunk(concat(repeat(CAT, 54), new int[] {COMMA}, repeat(DOG, 20))),
                        chunk(repeat(DOG, 10)));
    }

    @Test
    void movedTokensKeepTheirWeights() {
        List<PromptChunk> chunks = chunker.chunks("cat ".repeat(70) + ", (" + "dog ".repeat(10) + ":1.3)");
        assertThat(chunks).containsExactly(chunk(concat(repeat(CAT, 70), new int[] {COMMA})),
                chunk(EOS, repeat(DOG, 10), weights(10, 1.3f, 0)));
    }

    @Test
    void aCommaArrivingAtAFullChunkStartsTheNextOne() {
        assertThat(chunker.chunks("cat ".repeat(75) + ", dog"))
                .containsExactly(chunk(repeat(CAT, 75)), chunk(COMMA, DOG));
    }

    @Test
    void breakClosesTheChunkEvenAnEmptyOne() {
        assertThat(chunker.chunks("cat BREAK dog")).containsExactly(chunk(CAT), chunk(DOG));
        assertThat(chunker.chunks("BREAK dog")).containsExactly(chunk(), chunk(DOG));
        assertThat(chunker.chunks("cat BREAK")).containsExactly(chunk(CAT));
        assertThat(chunker.chunks("cat BREAK BREAK dog")).containsExactly(chunk(CAT), chunk(), chunk(DOG));
    }
}
