package io.fijigen.engine.pipeline;

import static io.fijigen.engine.ParityFixtures.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.TinyModel;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.text.ClipTokenizer;
import io.fijigen.engine.weights.SafetensorsWriter;
import io.fijigen.engine.weights.StateDict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Textual inversion with hand-made embeddings whose vectors are rows of the model's own token
 * embeddings (tiny-sd15's; tiny-sdxl's two, clip_l from text_encoder and clip_g from
 * text_encoder_2): a prompt using the new tokens must encode exactly as the prompt with those words.
 */
class TextualInversionsTest {
    @RegisterExtension
    static final ParityFixtures.Session session = new ParityFixtures.Session();
    @RegisterExtension
    static final TinyModel sd15 = new TinyModel("tiny-sd15");
    @RegisterExtension
    static final TinyModel sdxl = new TinyModel("tiny-sdxl");
    private static NDArray tokenEmbedding;
    private static NDArray tokenEmbeddingXl;
    private static NDArray tokenEmbeddingXl2;

    @TempDir
    static Path dir;

    /** Web-UI style: emb_params, token "mycity" from the file name, the vector of "city". */
    private static Path webUi;
    /** diffusers style: key "<neon-lights>", two vectors: "neon" and "lights". */
    private static Path diffusers;
    /** SDXL, token "xlcity" from the file name: clip_l and clip_g the vectors of "city" in each encoder. */
    private static Path sdxlCity;
    /** SDXL, token "neon-lights": two vectors per encoder, "neon" and "lights". */
    private static Path sdxlNeonLights;

    @BeforeAll
    static void load() throws Exception {
        StateDict weights = StateDict.openComponent(ParityFixtures.model("tiny-sd15").resolve("text_encoder"),
                session.manager, DataType.FLOAT32);
        tokenEmbedding = weights.get("text_model.embeddings.token_embedding.weight");
        webUi = write("mycity.safetensors", "emb_params", rows("city"));
        diffusers = write("neon-lights.safetensors", "<neon-lights>", rows("neon", "lights"));
        tokenEmbeddingXl = tokenEmbedding("text_encoder");
        tokenEmbeddingXl2 = tokenEmbedding("text_encoder_2");
        sdxlCity = writeSdxl("xlcity.safetensors", "city");
        sdxlNeonLights = writeSdxl("neon-lights.safetensors", "neon", "lights");
    }

    private static NDArray tokenEmbedding(String textEncoder) throws Exception {
        StateDict weights = StateDict.openComponent(ParityFixtures.model("tiny-sdxl").resolve(textEncoder),
                session.manager, DataType.FLOAT32);
        return weights.get("text_model.embeddings.token_embedding.weight");
    }

    @Test
    void newTokensEncodeExactlyAsTheWordsTheirVectorsComeFrom() throws Exception {
        TextualInversions inversions = TextualInversions.load(List.of(webUi, diffusers), session.manager, 32);
        PromptEncoder withTokens = new PromptEncoder(sd15.get().tokenizer(), sd15.get().textEncoder(), inversions);
        PromptEncoder plain = new PromptEncoder(sd15.get().tokenizer(), sd15.get().textEncoder());
        NDArray ours = withTokens.encode(session.manager, "A cyberpunk MyCity, <neon-lights>", "", 1, false, 1);
        NDArray words = plain.encode(session.manager, "A cyberpunk city, neon lights", "", 1, false, 1);
        assertThat(ours.toFloatArray()).isEqualTo(words.toFloatArray());
        assertThat(inversions.tokenizer(sd15.get().tokenizer()).encode(inversions.expand("mycity <neon-lights>")))
                .containsExactly(49406, 49408, 49409, 49410, 49407);
    }

    /**
     * On SDXL each token gets its clip_l vectors in text_encoder and its clip_g vectors in
     * text_encoder_2 (the two encoders' rows differ, so a swap would show), and the pooled embedding
     * is taken at the EOS as for the words.
     */
    @Test
    void sdxlTokensEncodeExactlyAsTheWordsInBothEncoders() throws Exception {
        StableDiffusion model = sdxl.get();
        assertThat(tokenEmbeddingXl2.contentEquals(tokenEmbeddingXl)).isFalse();
        TextualInversions inversions = TextualInversions.load(List.of(sdxlCity, sdxlNeonLights), model,
                session.manager);
        SdxlPromptEncoder.Embeddings ours = SdxlPromptEncoder.of(model, inversions)
                .encode(session.manager, "A cyberpunk XLCity, neon-lights", null, 1, false, 1);
        SdxlPromptEncoder.Embeddings words = SdxlPromptEncoder.of(model)
                .encode(session.manager, "A cyberpunk city, neon lights", null, 1, false, 1);
        assertThat(ours.promptEmbeds().getShape()).isEqualTo(new Shape(1, 77, 64));
        assertThat(ours.promptEmbeds().toFloatArray()).isEqualTo(words.promptEmbeds().toFloatArray());
        assertThat(ours.pooledPromptEmbeds().toFloatArray()).isEqualTo(words.pooledPromptEmbeds().toFloatArray());
        for (ClipTokenizer tokenizer : List.of(model.tokenizer(), model.tokenizer2())) {
            assertThat(inversions.tokenizer(tokenizer).encode(inversions.expand("xlcity neon-lights")))
                    .containsExactly(49406, 49408, 49409, 49410, 49407);
        }
    }

    @Test
    void anEmbeddingOfTheOtherFamilyIsRefusedNamingIt() {
        assertThatThrownBy(() -> TextualInversions.load(List.of(webUi), sdxl.get(), session.manager))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("embedding mycity.safetensors is for Stable Diffusion 1.x/2.x")
                .hasMessageContaining("the model is SDXL")
                .hasMessageContaining("clip_l and clip_g");
        assertThatThrownBy(() -> TextualInversions.load(List.of(sdxlCity), sd15.get(), session.manager))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("embedding xlcity.safetensors is for SDXL")
                .hasMessageContaining("not for this model's one text encoder");
    }

    @Test
    void sdxlVectorsOfAnotherWidthAreRefusedNamingTheEncoder() throws Exception {
        Path wide = dir.resolve("widexl.safetensors");
        SafetensorsWriter.write(wide, Map.of("clip_l", rowsXl(tokenEmbeddingXl, "city"),
                "clip_g", session.manager.zeros(new Shape(1, 64))), Map.of());
        assertThatThrownBy(() -> TextualInversions.load(List.of(wide), sdxl.get(), session.manager))
                .hasMessageContaining("embedding widexl.safetensors: token 'widexl' has clip_g vectors of size 64,"
                        + " the second text encoder's are 32");
    }

    @Test
    void aJobWithEmbeddingsGivesTheImageOfThePlainWords() {
        GenerationRequest.Builder request = PipelineParityTest.fixtureRequest()
                .scheduler("ddim")
                .latents(HostTensor.of(session.golden("pipe.latents")));
        HostTensor plain = Pipelines.generate(sd15.get(), request.build(), StepListener.NONE).images();
        GenerationRequest inverted = GenerationRequest.builder("A cyberpunk mycity, <neon-lights>")
                .negativePrompt("blurry").steps(5).guidance(7.5).size(128, 128).seed(0).scheduler("ddim")
                .latents(HostTensor.of(session.golden("pipe.latents")))
                .embedding(webUi).embedding(diffusers)
                .build();
        HostTensor ours = Pipelines.generate(sd15.get(), inverted, StepListener.NONE).images();
        assertThat(ours.data()).isEqualTo(plain.data());
        assertClose("pipe.txt2img.ddim (textual inversion)", ours.toNDArray(session.manager),
                session.golden("pipe.txt2img.ddim"), 1e-3);
    }

    @Test
    void embeddingsThatDoNotFitAreRefusedNamingTheFile() throws Exception {
        Path known = write("city.safetensors", "emb_params", rows("city"));
        Path wide = write("wide.safetensors", "<wide>", session.manager.zeros(new Shape(1, 64)));
        Path sdxl = write("xl.safetensors", "clip_l", rows("city"));
        Path again = write("again.safetensors", "<neon-lights>", rows("city"));

        assertThatThrownBy(() -> new PromptEncoder(sd15.get().tokenizer(), sd15.get().textEncoder(),
                TextualInversions.load(List.of(known), session.manager, 32)))
                .hasMessageContaining("token 'city' is already in the tokenizer's vocabulary");
        assertThatThrownBy(() -> TextualInversions.load(List.of(wide), session.manager, 32))
                .hasMessageContaining("embedding wide.safetensors: token '<wide>' has vectors of size 64,"
                        + " the text encoder's are 32");
        assertThatThrownBy(() -> TextualInversions.load(List.of(sdxl), session.manager, 32))
                .hasMessageContaining("embedding xl.safetensors is for SDXL");
        assertThatThrownBy(() -> TextualInversions.load(List.of(diffusers, again), session.manager, 32))
                .hasMessageContaining("embedding again.safetensors: token '<neon-lights>' is already given");
    }

    /** The token-embedding rows of the given one-token words. */
    private static NDArray rows(String... words) {
        long[] ids = new long[words.length];
        for (int i = 0; i < words.length; i++) {
            int[] encoded = sd15.get().tokenizer().encode(words[i]);
            assertThat(encoded).as(words[i] + " is one token").hasSize(3);
            ids[i] = encoded[1];
        }
        return tokenEmbedding.get(new NDIndex("{}", session.manager.create(ids)));
    }

    /** The rows of the given one-token words in {@code embedding}, one of tiny-sdxl's two. */
    private static NDArray rowsXl(NDArray embedding, String... words) {
        long[] ids = new long[words.length];
        for (int i = 0; i < words.length; i++) {
            int[] encoded = sdxl.get().tokenizer().encode(words[i]);
            assertThat(encoded).as(words[i] + " is one token").hasSize(3);
            ids[i] = encoded[1];
        }
        return embedding.get(new NDIndex("{}", session.manager.create(ids)));
    }

    /** An SDXL embedding named {@code name} whose vectors are the words' rows in each encoder. */
    private static Path writeSdxl(String name, String... words) throws Exception {
        Path file = dir.resolve("xl").resolve(name);
        Files.createDirectories(file.getParent());
        SafetensorsWriter.write(file, Map.of("clip_l", rowsXl(tokenEmbeddingXl, words),
                "clip_g", rowsXl(tokenEmbeddingXl2, words)), Map.of());
        return file;
    }

    private static Path write(String name, String key, NDArray vectors) throws Exception {
        Path file = dir.resolve(name);
        SafetensorsWriter.write(file, Map.of(key, vectors), Map.of());
        return file;
    }
}
