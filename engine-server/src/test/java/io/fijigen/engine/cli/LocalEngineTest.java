package io.fijigen.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.image.PngWriter;
import io.fijigen.engine.server.LoopbackEngineExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local run is the server's code in this process: the same command line, run here and with
 * {@code --server} on a registry that sets no defaults of its own, writes the same files, byte for
 * byte, with nothing but the model and the seed given (steps, guidance, size and strength all the
 * engine's defaults).
 */
class LocalEngineTest {
    private static final Path MODELS = ParityFixtures.model("tiny-sd15").getParent().toAbsolutePath();
    private static final String GOLDENS = ParityFixtures.ROOT.resolve("goldens.safetensors").toString();

    @RegisterExtension
    static final LoopbackEngineExtension SERVER = LoopbackEngineExtension.withRegistry(
            "roots: ['" + MODELS + "']\nmodels:\n"
                    + "  - {id: tiny-sd15, kind: sd15, path: tiny-sd15}\n"
                    + "  - {id: tiny-controlnet-canny, kind: controlnet, path: tiny-controlnet-canny}\n"
                    + "  - {id: tiny-x4-upscaler, kind: upscaler, path: tiny-x4-upscaler}\n");

    @TempDir
    Path dir;

    @Test
    void txt2imgWritesTheSameFilesHereAndOnAServer() throws Exception {
        assertSameFiles(List.of("generate", "--prompt", "a lighthouse at dusk", "--seed", "7"),
                List.of("--model", ParityFixtures.model("tiny-sd15").toString()),
                List.of("--model", "tiny-sd15"));
    }

    /** The size and the control image come from the init image; strength is img2img's default. */
    @Test
    void img2imgWithACannyControlNetWritesTheSameFilesHereAndOnAServer() throws Exception {
        assertSameFiles(List.of("generate", "--prompt", "a lighthouse at dusk", "--seed", "7",
                        "--init-image", GOLDENS + "#pipe.init_image", "--canny", "100,200"),
                List.of("--model", ParityFixtures.model("tiny-sd15").toString(),
                        "--controlnet", ParityFixtures.model("tiny-controlnet-canny").toString()),
                List.of("--model", "tiny-sd15", "--controlnet", "tiny-controlnet-canny"));
    }

    @Test
    void upscaleWritesTheSameFilesHereAndOnAServer() throws Exception {
        assertSameFiles(List.of("upscale", "--image", GOLDENS + "#upscale.low_res", "--seed", "25"),
                List.of("--model", ParityFixtures.model("tiny-x4-upscaler").toString()),
                List.of("--model", "tiny-x4-upscaler"));
    }

    private void assertSameFiles(List<String> common, List<String> local, List<String> remote) throws Exception {
        Path here = Files.createDirectory(dir.resolve("here"));
        Path served = Files.createDirectory(dir.resolve("served"));
        run(common, local, here);
        List<String> onServer = new ArrayList<>(remote);
        onServer.addAll(List.of("--server", SERVER.address()));
        run(common, onServer, served);
        assertThat(Files.readAllBytes(served.resolve("out.png"))).isEqualTo(Files.readAllBytes(here.resolve("out.png")));
        assertThat(Files.readAllBytes(served.resolve("out.safetensors")))
                .isEqualTo(Files.readAllBytes(here.resolve("out.safetensors")));
        String parameters = PngWriter.readParameters(here.resolve("out.png"));
        System.out.println(common.get(0) + " here and on a server: " + parameters.replace('\n', ' '));
        if (common.get(0).equals("generate")) {
            assertThat(parameters).contains("Steps: 50,").contains("CFG scale: 7.5,");
        } else {
            assertThat(parameters).contains("Steps: 75,").contains("CFG scale: 9,");
        }
    }

    private static void run(List<String> common, List<String> more, Path into) {
        List<String> args = new ArrayList<>(common);
        args.addAll(more);
        args.addAll(List.of("--out", into.resolve("out.png").toString()));
        args.addAll(List.of("--out-tensor", into.resolve("out.safetensors").toString()));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
    }
}
