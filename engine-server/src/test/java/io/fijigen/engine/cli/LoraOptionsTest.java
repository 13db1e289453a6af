package io.fijigen.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.image.PngWriter;
import io.fijigen.engine.server.LoopbackEngineExtension;
import io.fijigen.engine.weights.StateDict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code fijigen generate --lora FILE_OR_ID:WEIGHT} and prompt tags, locally and with {@code --server}. */
class LoraOptionsTest {
    private static final Path LORA = ParityFixtures.model("tiny-lora-kohya.safetensors");
    private static final String PROMPT = "A cyberpunk city, neon lights";
    @RegisterExtension
    static final LoopbackEngineExtension SERVER = LoopbackEngineExtension.demo();

    @TempDir
    Path dir;

    /** The fixture job (DDIM, given latents) with the given prompt and more options, writing out.png and images.safetensors. */
    private CliRun generate(String model, String prompt, String... more) {
        List<String> args = new ArrayList<>(List.of("generate", "--model", model, "--prompt", prompt,
                "--negative-prompt", "blurry", "--steps", "5", "--guidance", "7.5", "--scheduler", "ddim",
                "--width", "128", "--height", "128", "--seed", "0",
                "--latents", ParityFixtures.ROOT.resolve("goldens.safetensors") + "#pipe.latents",
                "--out", dir.resolve("out.png").toString(), "--out-tensor", dir.resolve("images.safetensors").toString()));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    private String local() {
        return ParityFixtures.model("tiny-sd15").toString();
    }

    @Test
    void aPromptTagFindsTheFileInTheLoraFolderAndReproducesTheUnetOnlyFixture() throws Exception {
        CliRun run = generate(local(), PROMPT + "<lora:tiny-lora-kohya:0:0.75>", "--lora-dir", LORA.getParent().toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        try (ParityFixtures.Session session = new ParityFixtures.Session();
                StateDict written = images(session)) {
            ParityFixtures.assertClose("cli pipe.lora075_unet_only.ddim", written.get("images"),
                    session.golden("pipe.lora075_unet_only.ddim"), 1e-3);
        }
        assertThat(PngWriter.readParameters(dir.resolve("out.png")))
                .startsWith(PROMPT + " <lora:tiny-lora-kohya:0:0.75>\nNegative prompt: blurry");
    }

    @Test
    void theLoraOptionEqualsTheSameTag() throws Exception {
        assertThat(generate(local(), PROMPT, "--lora", LORA + ":0.75").exitCode()).isZero();
        float[] byOption;
        try (ParityFixtures.Session session = new ParityFixtures.Session(); StateDict written = images(session)) {
            byOption = written.get("images").toFloatArray();
        }
        assertThat(PngWriter.readParameters(dir.resolve("out.png"))).startsWith(PROMPT + " <lora:tiny-lora-kohya:0.75>\n");
        assertThat(generate(local(), PROMPT + "<lora:tiny-lora-kohya:0.75>", "--lora-dir", LORA.getParent().toString())
                .exitCode()).isZero();
        try (ParityFixtures.Session session = new ParityFixtures.Session(); StateDict written = images(session)) {
            assertThat(written.get("images").toFloatArray()).isEqualTo(byOption);
        }
    }

    @Test
    void onAServerTheOptionAndTheTagsNameRegisteredIds() throws Exception {
        CliRun tagged = generate("tiny-sd15", PROMPT + "<lora:tiny-lora:0:0.75>", "--server", SERVER.address());
        assertThat(tagged.exitCode()).as(tagged.err()).isZero();
        try (ParityFixtures.Session session = new ParityFixtures.Session(); StateDict written = images(session)) {
            // The values before quantisation come back: as exact as a local run.
            ParityFixtures.assertClose("remote cli pipe.lora075_unet_only.ddim", written.get("images"),
                    session.golden("pipe.lora075_unet_only.ddim"), 1e-3);
        }
        CliRun byId = generate("tiny-sd15", PROMPT, "--server", SERVER.address(), "--lora", "tiny-lora:0.75");
        assertThat(byId.exitCode()).as(byId.err()).isZero();
        assertThat(PngWriter.readParameters(dir.resolve("out.png"))).startsWith(PROMPT + " <lora:tiny-lora:0.75>\n");

        CliRun unknown = generate("tiny-sd15", PROMPT, "--server", SERVER.address(), "--lora", "nope:0.5");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).startsWith("error: NOT_FOUND: loras[0].id: unknown model 'nope'");
    }

    @Test
    void badLorasFailNamingTheValue() {
        CliRun missing = generate(local(), PROMPT, "--lora", dir.resolve("missing.safetensors") + ":0.5");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).startsWith("error: " + dir.resolve("missing.safetensors") + ": --lora: no such LoRA file");

        CliRun noTagFile = generate(local(), PROMPT + " <lora:nope:1>", "--lora-dir", dir.toString());
        assertThat(noTagFile.err()).startsWith("error: " + dir.resolve("nope.safetensors")
                + ": --prompt <lora:nope:1>: no such LoRA file");

        CliRun twice = generate(local(), PROMPT + "<lora:tiny-lora-kohya:1>", "--lora", LORA.toString(),
                "--lora-dir", LORA.getParent().toString());
        assertThat(twice.err()).startsWith("error: prompt: <lora:tiny-lora-kohya:1>: LoRA 'tiny-lora-kohya' is already"
                + " given by loras[0].id (name each LoRA once)");

        CliRun badWeight = generate(local(), PROMPT + "<lora:tiny-lora-kohya:strong>");
        assertThat(badWeight.err()).startsWith("error: prompt: <lora:tiny-lora-kohya:strong>: weight 'strong' is not a number");

        CliRun notALora = generate(local(), PROMPT, "--lora", ParityFixtures.ROOT.resolve("goldens.safetensors").toString());
        assertThat(notALora.exitCode()).isEqualTo(1);
        assertThat(notALora.err()).startsWith("error: LoRA goldens.safetensors: key '").contains("is not a LoRA key");
        assertThat(dir.resolve("out.png")).doesNotExist();
    }

    private StateDict images(ParityFixtures.Session session) throws Exception {
        return StateDict.open(List.of(dir.resolve("images.safetensors")), session.manager, DataType.FLOAT32);
    }
}
