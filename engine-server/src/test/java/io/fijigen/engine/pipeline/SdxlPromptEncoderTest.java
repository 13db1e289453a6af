package io.fijigen.engine.pipeline;

import static io.fijigen.engine.ParityFixtures.assertModuleClose;
import static io.fijigen.engine.ParityFixtures.maxAbs;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.model.ModelFolder;
import io.fijigen.engine.nn.CLIPTextModel;
import io.fijigen.engine.nn.CLIPTextModelWithProjection;
import io.fijigen.engine.text.ClipTokenizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SDXL prompt encoding on tiny-sdxl's two encoders (32 wide each, so embeddings are 64 wide: te1's
 * columns first): plain prompts against the reference's {@code encode_prompt} ({@code xl.*}), the
 * negative prompt's three cases, and weights, BREAK and long prompts applied to both encoders.
 */
class SdxlPromptEncoderTest {
    private static final String CITY = "A cyberpunk city, neon lights";

    @RegisterExtension
    static final ParityFixtures.Session session = new ParityFixtures.Session();

    private static ClipTokenizer tokenizer;
    private static ClipTokenizer tokenizer2;
    private static CLIPTextModel textEncoder;
    private static CLIPTextModelWithProjection textEncoder2;
    private static SdxlPromptEncoder prompts;

    @BeforeAll
    static void load() throws Exception {
        ModelFolder folder = ParityFixtures.folder("tiny-sdxl");
        tokenizer = ClipTokenizer.load(folder.component("tokenizer"));
        tokenizer2 = ClipTokenizer.load(folder.component("tokenizer_2"));
        textEncoder = folder.textEncoder(session.manager, DataType.FLOAT32);
        textEncoder2 = folder.textEncoder2(session.manager, DataType.FLOAT32);
        prompts = new SdxlPromptEncoder(tokenizer, textEncoder, tokenizer2, textEncoder2,
                folder.index().forceZerosForEmptyPrompt());
    }

    private static SdxlPromptEncoder.Embeddings encode(String prompt, String negative, boolean guided) {
        return prompts.encode(session.manager, prompt, negative, 1, guided, 1);
    }

    private static NDArray rows(NDArray embeddings, int batch, int from, int to) {
        return embeddings.get(new NDIndex("{}:{}, {}:{}", batch, batch + 1, from, to));
    }

    /** te1's columns (0) or te2's (1) of a chunk: [1, 77, 32]. */
    private static NDArray half(NDArray embeddings, int chunk, int encoder) {
        return embeddings.get(new NDIndex("0:1, {}:{}, {}:{}", chunk * 77, (chunk + 1) * 77, encoder * 32,
                (encoder + 1) * 32));
    }

    private static void assertSame(String what, NDArray ours, NDArray expected) {
        assertThat(ours.getShape()).as(what + " shape").isEqualTo(expected.getShape());
        double diff = maxAbs(ours.sub(expected));
        System.out.printf("prompt %-44s max|diff| = %.3e (expected bit for bit)%n", what, diff);
        assertThat(diff).as(what).isZero();
    }

    private static NDArray ids(ClipTokenizer tokenizer, String prompt) {
        return session.manager.create(tokenizer.encodePadded(prompt, 77)).reshape(1, 77);
    }

    @Test
    void aPlainPromptIsTheReferenceEncoding() {
        SdxlPromptEncoder.Embeddings city = encode(CITY, null, false);
        assertModuleClose("xl.prompt_embeds", city.promptEmbeds(), session.golden("xl.prompt_embeds"));
        assertModuleClose("xl.pooled_prompt_embeds", city.pooledPromptEmbeds(),
                session.golden("xl.pooled_prompt_embeds"));
    }

    @Test
    void aGivenNegativePromptIsEncodedFirst() {
        SdxlPromptEncoder.Embeddings both = encode(CITY, "blurry", true);
        assertThat(both.promptEmbeds().getShape()).isEqualTo(new Shape(2, 77, 64));
        assertModuleClose("xl.negative_prompt_embeds.blurry", rows(both.promptEmbeds(), 0, 0, 77),
                session.golden("xl.negative_prompt_embeds.blurry"));
        assertModuleClose("xl.negative_pooled_prompt_embeds.blurry", both.pooledPromptEmbeds().get("0:1"),
                session.golden("xl.negative_pooled_prompt_embeds.blurry"));
        assertModuleClose("xl.prompt_embeds (guided)", rows(both.promptEmbeds(), 1, 0, 77),
                session.golden("xl.prompt_embeds"));
        assertModuleClose("xl.pooled_prompt_embeds (guided)", both.pooledPromptEmbeds().get("1:2"),
                session.golden("xl.pooled_prompt_embeds"));
    }

    /** force_zeros_for_empty_prompt: no negative prompt is zeros; "" is the empty prompt's encoding, not zero. */
    @Test
    void aMissingNegativePromptIsZerosAndAnEmptyOneIsEncoded() {
        SdxlPromptEncoder.Embeddings none = encode(CITY, null, true);
        assertThat(maxAbs(rows(none.promptEmbeds(), 0, 0, 77))).isZero();
        assertThat(maxAbs(none.pooledPromptEmbeds().get("0:1"))).isZero();
        assertSame("prompt beside zeros", rows(none.promptEmbeds(), 1, 0, 77),
                encode(CITY, null, false).promptEmbeds());

        SdxlPromptEncoder.Embeddings empty = encode(CITY, "", true);
        SdxlPromptEncoder.Embeddings emptyAlone = encode("", null, false);
        assertThat(maxAbs(emptyAlone.promptEmbeds())).isGreaterThan(0.1);
        assertSame("negative \"\"", rows(empty.promptEmbeds(), 0, 0, 77), emptyAlone.promptEmbeds());
        assertSame("negative \"\" pooled", empty.pooledPromptEmbeds().get("0:1"), emptyAlone.pooledPromptEmbeds());

        SdxlPromptEncoder unforced = new SdxlPromptEncoder(tokenizer, textEncoder, tokenizer2, textEncoder2, false);
        SdxlPromptEncoder.Embeddings unforcedNone = unforced.encode(session.manager, CITY, null, 1, true, 1);
        assertSame("no negative without force_zeros", rows(unforcedNone.promptEmbeds(), 0, 0, 77),
                emptyAlone.promptEmbeds());
    }

    @Test
    void weightsOfOneAreNoWeightingAtAll() {
        SdxlPromptEncoder.Embeddings plain = encode(CITY, null, false);
        SdxlPromptEncoder.Embeddings one = encode("(" + CITY + ":1.0)", null, false);
        assertSame("(" + CITY + ":1.0)", one.promptEmbeds(), plain.promptEmbeds());
        assertSame("(" + CITY + ":1.0) pooled", one.pooledPromptEmbeds(), plain.pooledPromptEmbeds());
    }

    /**
     * Each encoder's half is its own raw penultimate states re-weighted as the web UI does; the
     * pooled embedding is not weighted.
     */
    @Test
    void weightsApplyToBothEncoders() {
        SdxlPromptEncoder.Embeddings weighted = encode("a (cat:1.5) on [a mat]", null, false);
        float[] weights = PromptEmphasisTest.catOnAMatWeights();
        NDArray z1 = textEncoder.hiddenStates(ids(tokenizer, "a cat on a mat"), 2, null);
        NDArray z2 = textEncoder2.textModel().hiddenStates(ids(tokenizer2, "a cat on a mat"), 2, null);
        assertSame("te1 half of a (cat:1.5) on [a mat]", half(weighted.promptEmbeds(), 0, 0),
                PromptEmphasis.apply(z1, weights));
        assertSame("te2 half of a (cat:1.5) on [a mat]", half(weighted.promptEmbeds(), 0, 1),
                PromptEmphasis.apply(z2, weights));
        assertThat(maxAbs(half(weighted.promptEmbeds(), 0, 0).sub(z1))).isGreaterThan(0.1);
        assertThat(maxAbs(half(weighted.promptEmbeds(), 0, 1).sub(z2))).isGreaterThan(0.1);
        assertSame("pooled of a (cat:1.5) on [a mat]", weighted.pooledPromptEmbeds(),
                textEncoder2.forward(ids(tokenizer2, "a cat on a mat")).textEmbeds());
    }

    /** BREAK makes 154 rows: the plain prompt's 77, then "cat"'s; pooled from the first chunk. */
    @Test
    void breakGivesTwoChunksOnBothEncoders() {
        SdxlPromptEncoder.Embeddings city = encode(CITY, null, false);
        SdxlPromptEncoder.Embeddings cat = encode("cat", null, false);
        SdxlPromptEncoder.Embeddings two = encode(CITY + " BREAK cat", null, false);
        assertThat(two.promptEmbeds().getShape()).isEqualTo(new Shape(1, 154, 64));
        assertSame("BREAK chunk 1", rows(two.promptEmbeds(), 0, 0, 77), city.promptEmbeds());
        assertSame("BREAK chunk 2", rows(two.promptEmbeds(), 0, 77, 154), cat.promptEmbeds());
        assertSame("BREAK pooled", two.pooledPromptEmbeds(), city.pooledPromptEmbeds());

        SdxlPromptEncoder.Embeddings guided =
                prompts.encode(session.manager, CITY + " BREAK cat", "blurry", 2, true, 1);
        assertThat(guided.promptEmbeds().getShape()).isEqualTo(new Shape(4, 154, 64));
        assertThat(guided.pooledPromptEmbeds().getShape()).isEqualTo(new Shape(4, 32));
        assertSame("negative padded with the empty prompt", rows(guided.promptEmbeds(), 1, 77, 154),
                encode("", null, false).promptEmbeds());
    }

    /**
     * "!!!!!!!!" is one token for {@code tokenizer} but eight pad ids for {@code tokenizer_2}: 20
     * tokens fit te1's one chunk, te2 needs two; te1's side is padded with its empty chunk.
     */
    @Test
    void encodersWithDifferentChunkCountsArePaddedAlike() {
        SdxlPromptEncoder.Embeddings bangs = encode("cat !!!!!!!! ".repeat(10), null, false);
        assertThat(bangs.promptEmbeds().getShape()).isEqualTo(new Shape(1, 154, 64));
        assertSame("te1's padding chunk", half(bangs.promptEmbeds(), 1, 0),
                half(encode("", null, false).promptEmbeds(), 0, 0));
    }
}
