package io.fijigen.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.text.ClipTokenizer;
import io.fijigen.engine.weights.SafetensorsWriter;
import io.fijigen.engine.weights.StateDict;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fijigen generate --embedding FILE}: a token whose vector is "city"'s draws the fixture image. */
class EmbeddingOptionTest {
    @TempDir
    Path dir;

    @Test
    void anEmbeddingsTokenWorksInThePrompt() throws Exception {
        Path embedding = dir.resolve("mycity.safetensors");
        Path images = dir.resolve("images.safetensors");
        try (ParityFixtures.Session session = new ParityFixtures.Session();
                StateDict weights = StateDict.openComponent(ParityFixtures.model("tiny-sd15").resolve("text_encoder"),
                        session.manager, DataType.FLOAT32)) {
            int city = ClipTokenizer.load(ParityFixtures.model("tiny-sd15").resolve("tokenizer")).encode("city")[1];
            NDArray row = weights.get("text_model.embeddings.token_embedding.weight").get(new NDIndex("{}:{}", city,
                    city + 1));
            SafetensorsWriter.write(embedding, Map.of("emb_params", row), Map.of());

            CliRun run = CliRun.of("generate", "--model", ParityFixtures.model("tiny-sd15").toString(),
                    "--prompt", "A cyberpunk mycity, neon lights", "--negative-prompt", "blurry",
                    "--steps", "5", "--guidance", "7.5", "--scheduler", "ddim", "--width", "128", "--height", "128",
                    "--latents", ParityFixtures.ROOT.resolve("goldens.safetensors") + "#pipe.latents",
                    "--embedding", embedding.toString(),
                    "--out", dir.resolve("out.png").toString(), "--out-tensor", images.toString());
            assertThat(run.exitCode()).as(run.err()).isZero();
            try (StateDict written = StateDict.open(List.of(images), session.manager, DataType.FLOAT32)) {
                ParityFixtures.assertClose("cli pipe.txt2img.ddim (embedding)", written.get("images"),
                        session.golden("pipe.txt2img.ddim"), 1e-3);
            }
        }
    }

    @Test
    void embeddingsAreRefusedWithAServer() {
        CliRun run = CliRun.of("generate", "--server", "127.0.0.1:1", "--model", "tiny-sd15", "--prompt", "a cat",
                "--embedding", "x.safetensors", "--out", dir.resolve("out.png").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: --embedding works on local runs only");
    }
}
