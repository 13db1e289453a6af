package io.fijigen.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.server.LoopbackEngine;
import io.fijigen.engine.text.ClipTokenizer;
import io.fijigen.engine.weights.SafetensorsWriter;
import io.fijigen.engine.weights.StateDict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fijigen generate --embedding FILE} (with {@code --server}, a registered embedding's id): a
 * token whose vector is "city"'s draws the fixture image.
 */
class EmbeddingOptionTest {
    @TempDir
    Path dir;

    @Test
    void anEmbeddingsTokenWorksInThePrompt() throws Exception {
        Path embedding = writeCityEmbedding();
        try (ParityFixtures.Session session = new ParityFixtures.Session()) {
            assertReproducesTheFixture(session, "--model", ParityFixtures.model("tiny-sd15").toString(),
                    "--embedding", embedding.toString());
        }
    }

    /** An embedding file whose token "mycity" has the vector of "city". */
    private Path writeCityEmbedding() throws Exception {
        Path embedding = dir.resolve("mycity.safetensors");
        try (ParityFixtures.Session session = new ParityFixtures.Session();
                StateDict weights = StateDict.openComponent(ParityFixtures.model("tiny-sd15").resolve("text_encoder"),
                        session.manager, DataType.FLOAT32)) {
            int city = ClipTokenizer.load(ParityFixtures.model("tiny-sd15").resolve("tokenizer")).encode("city")[1];
            NDArray row = weights.get("text_model.embeddings.token_embedding.weight").get(new NDIndex("{}:{}", city,
                    city + 1));
            SafetensorsWriter.write(embedding, Map.of("emb_params", row), Map.of());
        }
        return embedding;
    }

    /** "A cyberpunk mycity" draws the fixture's "A cyberpunk city", from its latents. */
    private void assertReproducesTheFixture(ParityFixtures.Session session, String... model) throws Exception {
        Path images = dir.resolve("images.safetensors");
        List<String> args = new ArrayList<>(List.of("generate", "--prompt", "A cyberpunk mycity, neon lights",
                "--negative-prompt", "blurry", "--steps", "5", "--guidance", "7.5", "--scheduler", "ddim",
                "--width", "128", "--height", "128",
                "--latents", ParityFixtures.ROOT.resolve("goldens.safetensors") + "#pipe.latents",
                "--out", dir.resolve("out.png").toString(), "--out-tensor", images.toString()));
        args.addAll(List.of(model));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        try (StateDict written = StateDict.open(List.of(images), session.manager, DataType.FLOAT32)) {
            ParityFixtures.assertClose("cli pipe.txt2img.ddim (embedding " + String.join(" ", model) + ")",
                    written.get("images"), session.golden("pipe.txt2img.ddim"), 1e-3);
        }
    }

    /** With --server, the option names an embedding the server registers, of kind embedding. */
    @Test
    void onAServerTheOptionNamesARegisteredEmbedding() throws Exception {
        Path embedding = writeCityEmbedding();
        Path registry = dir.resolve("registry.yaml");
        Files.writeString(registry, "roots: ['" + ParityFixtures.model("tiny-sd15").getParent().toAbsolutePath()
                + "', '" + dir.toAbsolutePath() + "']\nmodels:\n"
                + "  - {id: tiny-sd15, kind: sd15, path: tiny-sd15}\n"
                + "  - {id: mycity, kind: embedding, path: " + embedding.getFileName() + "}\n");
        try (LoopbackEngine server = new LoopbackEngine(registry, 1);
                ParityFixtures.Session session = new ParityFixtures.Session()) {
            assertReproducesTheFixture(session, "--model", "tiny-sd15", "--embedding", "mycity",
                    "--server", server.address());
            CliRun unknown = CliRun.of("generate", "--server", server.address(), "--model", "tiny-sd15",
                    "--prompt", "a cat", "--embedding", "tiny-sd15", "--out", dir.resolve("x.png").toString());
            assertThat(unknown.exitCode()).isEqualTo(1);
            assertThat(unknown.err()).startsWith("error: INVALID_ARGUMENT: embeddings[0]: model 'tiny-sd15' is a sd15"
                    + " model, not a textual inversion");
        }
    }
}
