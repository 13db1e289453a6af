package io.fijigen.engine.pipeline;

import static io.fijigen.engine.ParityFixtures.maxAbs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.model.ModelFolder;
import io.fijigen.engine.nn.CLIPTextModel;
import io.fijigen.engine.text.ClipTokenizer;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Prompt encoding on tiny-sd15's text encoder (hidden size 32), checked against the text encoder
 * run on hand-built ids: plain prompts bit for bit as before, weighted chunks re-weighted and
 * rescaled as the web UI does, long prompts as the concatenation of their chunks, and the shorter
 * of prompt and negative prompt padded with the empty prompt.
 */
class PromptEncoderTest {
    private static final String CITY = "A cyberpunk city, neon lights";
    private static final long BOS = 49406;
    private static final long EOS = 49407;
    private static final long A = 320;
    private static final long CAT = 2368;
    private static final long ON = 525;
    private static final long MAT = 9063;

    private static NDManager manager;
    private static ClipTokenizer tokenizer;
    private static CLIPTextModel textEncoder;
    private static PromptEncoder prompts;

    @BeforeAll
    static void load() throws Exception {
        manager = NDManager.newBaseManager();
        ModelFolder folder = ParityFixtures.folder("tiny-sd15");
        tokenizer = ClipTokenizer.load(folder.component("tokenizer"));
        textEncoder = folder.textEncoder(manager, DataType.FLOAT32);
        prompts = new PromptEncoder(tokenizer, textEncoder);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** The text encoder on one chunk of ids: BOS, the content, then EOS up to 77. */
    private static NDArray encodeIds(int clipSkip, long... content) {
        long[] ids = new long[77];
        Arrays.fill(ids, EOS);
        ids[0] = BOS;
        System.arraycopy(content, 0, ids, 1, content.length);
        return textEncoder.encode(manager.create(ids).reshape(1, 77), clipSkip);
    }

    private static NDArray reference(String prompt, int clipSkip) {
        return textEncoder.encode(manager.create(tokenizer.encodePadded(prompt, 77)).reshape(1, 77), clipSkip);
    }

    private static NDArray tokens(NDArray embeddings, int batch, int chunk) {
        return embeddings.get(new NDIndex("{}:{}, {}:{}", batch, batch + 1, chunk * 77, (chunk + 1) * 77));
    }

    private static void assertSame(String what, NDArray ours, NDArray expected) {
        assertThat(ours.getShape()).as(what + " shape").isEqualTo(expected.getShape());
        double diff = maxAbs(ours.sub(expected));
        System.out.printf("prompt %-44s max|diff| = %.3e (expected bit for bit)%n", what, diff);
        assertThat(diff).as(what).isZero();
    }

    private static long[] repeat(long id, int times) {
        long[] ids = new long[times];
        Arrays.fill(ids, id);
        return ids;
    }

    @Test
    void aPlainPromptIsTheReferenceEncodingBitForBit() {
        NDArray both = prompts.encode(manager, CITY, "blurry", 1, true, 2);
        assertThat(both.getShape()).isEqualTo(new Shape(2, 77, 32));
        assertSame("negative 'blurry'", tokens(both, 0, 0), reference("blurry", 1));
        assertSame("prompt, clip skip 2", tokens(both, 1, 0), reference(CITY, 2));
    }

    @Test
    void weightsOfOneAreNoWeightingAtAll() {
        assertSame("(" + CITY + ":1)", prompts.encode(manager, "(" + CITY + ":1)", "", 1, false, 1),
                reference(CITY, 1));
    }

    /**
     * The chunk's ids encoded, times the hand-written weights per token, times one common factor:
     * the web UI's rescale by mean(z) / mean(z·w), which {@link PromptEmphasisTest} checks by hand.
     * (On this tiny encoder the factor is a ratio of rounding noise: its final layer norm has weight
     * 1 and bias 0, so every token's encoding has mean 0.)
     */
    @Test
    void aWeightedPromptIsItsIdsEncodingTimesTheWeightsPerToken() {
        NDArray weighted = prompts.encode(manager, "a (cat:1.5) on [a mat]", "", 1, false, 1);
        NDArray z = encodeIds(1, A, CAT, ON, A, MAT);
        float[] weights = PromptEmphasisTest.catOnAMatWeights();
        assertSame("a (cat:1.5) on [a mat]", weighted, PromptEmphasis.apply(z, weights));

        float[] ours = weighted.toFloatArray();
        float[] unweighted = z.toFloatArray();
        double dot = 0;
        double norm = 0;
        for (int i = 0; i < ours.length; i++) {
            double expected = unweighted[i] * (double) weights[i / 32];
            dot += ours[i] * expected;
            norm += expected * expected;
        }
        double factor = dot / norm;
        double diff = 0;
        for (int i = 0; i < ours.length; i++) {
            diff = Math.max(diff, Math.abs(ours[i] - factor * unweighted[i] * weights[i / 32]));
        }
        System.out.printf("prompt %-44s max|ours - f·z·w| = %.3e with f = %.6f%n", "a (cat:1.5) on [a mat]", diff,
                factor);
        assertThat(diff).isLessThanOrEqualTo(1e-5 * maxAbs(weighted));
    }

    @Test
    void aLongPromptIsTheConcatenationOfItsChunksEncodings() {
        NDArray long80 = prompts.encode(manager, "cat ".repeat(80), "", 1, false, 1);
        assertThat(long80.getShape()).isEqualTo(new Shape(1, 154, 32));
        assertSame("80 cats, chunk 1", tokens(long80, 0, 0), encodeIds(1, repeat(CAT, 75)));
        assertSame("80 cats, chunk 2", tokens(long80, 0, 1), encodeIds(1, repeat(CAT, 5)));
    }

    @Test
    void theFirstChunkOfALongPromptIsTheShortPrompt() {
        NDArray long3 = prompts.encode(manager, CITY + " BREAK " + "cat ".repeat(100), "", 1, false, 1);
        assertThat(long3.getShape()).isEqualTo(new Shape(1, 3 * 77, 32));
        assertSame("short prompt as the first chunk", tokens(long3, 0, 0), reference(CITY, 1));
    }

    @Test
    void theShorterSideIsPaddedWithTheEmptyPromptForEveryImage() {
        NDArray both = prompts.encode(manager, CITY + " BREAK cat", "blurry", 2, true, 2);
        assertThat(both.getShape()).isEqualTo(new Shape(4, 154, 32));
        for (int image = 0; image < 2; image++) {
            assertSame("negative chunk 1, image " + image, tokens(both, image, 0), reference("blurry", 1));
            assertSame("negative padding, image " + image, tokens(both, image, 1), reference("", 1));
            assertSame("prompt chunk 1, image " + image, tokens(both, 2 + image, 0), reference(CITY, 2));
            assertSame("prompt chunk 2, image " + image, tokens(both, 2 + image, 1), encodeIds(2, CAT));
        }
        NDArray longNegative = prompts.encode(manager, "cat", "blurry BREAK cat", 1, true, 2);
        assertSame("negative chunk 2", tokens(longNegative, 0, 1), encodeIds(1, CAT));
        assertSame("prompt padding at clip skip 2", tokens(longNegative, 1, 1), reference("", 2));
    }

    @Test
    void aBadWeightNamesItsField() {
        assertThatThrownBy(() -> prompts.encode(manager, CITY, "(blurry:1.2.3)", 1, true, 1))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("negative_prompt: weight '1.2.3'")
                .extracting(e -> ((InvalidRequestException) e).field()).isEqualTo("negative_prompt");
    }

    @Test
    void aPromptBeyondTheChunkLimitIsRefused() {
        assertThatThrownBy(() -> prompts.encode(manager, "cat ".repeat(32 * 75 + 1), "", 1, false, 1))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("prompt needs 33 chunks of 75 tokens, more than the limit of 32 (2400 tokens)");
    }
}
