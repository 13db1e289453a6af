package io.fijigen.engine.cli;

import static io.fijigen.engine.ParityFixtures.maxDifference;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.TinyModel;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.pipeline.GenerationRequest;
import io.fijigen.engine.pipeline.StepListener;
import io.fijigen.engine.pipeline.Upscale;
import io.fijigen.engine.pipeline.UpscaleRequest;
import io.fijigen.engine.server.LoopbackEngineExtension;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.weights.StateDict;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fijigen upscale --timestep-spacing --eta}: the x4 upscaler's image as the pipeline gives it for
 * the same request, the same image from a server, and with {@code --refine} the tiles' values.
 */
class UpscaleSchedulerOptionsTest {
    @RegisterExtension
    static final LoopbackEngineExtension SERVER = LoopbackEngineExtension.demo();

    private static final String GOLDENS = ParityFixtures.ROOT.resolve("goldens.safetensors").toString();

    @TempDir
    Path dir;

    private static List<String> args(String model, String... more) {
        List<String> args = new ArrayList<>(List.of("upscale", "--model", model,
                "--image", GOLDENS + "#upscale.low_res", "--prompt", "a sharp photo", "--negative-prompt", "blurry",
                "--steps", "4", "--guidance", "9", "--seed", "25", "--latents", GOLDENS + "#upscale.latents",
                "--timestep-spacing", "trailing", "--eta", "0.5"));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void trailingAndEtaGiveThePipelinesImageLocallyAndOnAServer() throws Exception {
        Path tensor = dir.resolve("local.safetensors");
        Path localPng = dir.resolve("local.png");
        CliRun here = CliRun.of(args(ParityFixtures.model("tiny-x4-upscaler").toString(), "--out", localPng.toString(),
                "--out-tensor", tensor.toString()).toArray(String[]::new));
        assertThat(here.exitCode()).as(here.err()).isZero();

        HostTensor expected;
        try (ParityFixtures.Session session = new ParityFixtures.Session();
                StableDiffusion model = TinyModel.load("tiny-x4-upscaler")) {
            GenerationRequest generation = GenerationRequest.builder("a sharp photo").negativePrompt("blurry")
                    .steps(4).guidance(9.0).seed(25).timestepSpacing("trailing").eta(0.5)
                    .latents(HostTensor.of(session.golden("upscale.latents")))
                    .build();
            expected = Upscale.generate(model, new UpscaleRequest(generation,
                    HostTensor.of(session.golden("upscale.low_res")), 20, UpscaleRequest.DEFAULT_TILING),
                    StepListener.NONE).images();
        }
        try (ParityFixtures.Session session = new ParityFixtures.Session();
                StateDict written = StateDict.open(List.of(tensor), session.manager, DataType.FLOAT32)) {
            HostTensor local = HostTensor.of(written.get("images"));
            System.out.printf("upscale --timestep-spacing trailing --eta 0.5 vs the pipeline: max |diff| %.3e%n",
                    maxDifference(local, expected));
            assertThat(local.data()).containsExactly(expected.data());
        }

        Path remotePng = dir.resolve("remote.png");
        CliRun there = CliRun.of(args("tiny-x4-upscaler", "--server", SERVER.address(), "--out", remotePng.toString())
                .toArray(String[]::new));
        assertThat(there.exitCode()).as(there.err()).isZero();
        BufferedImage a = ImageIO.read(localPng.toFile());
        BufferedImage b = ImageIO.read(remotePng.toFile());
        int differing = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                differing += a.getRGB(x, y) != b.getRGB(x, y) ? 1 : 0;
            }
        }
        assertThat(differing).isZero();
    }

    /**
     * With --refine the options are the tiles': the tiles' scheduler refuses what it does not read, the
     * refusal naming the option here and the refine field on a server.
     */
    @Test
    void withRefineTheTilesTakeThem() {
        List<String> refine = List.of("upscale", "--refine", "--factor", "2", "--image", GOLDENS + "#upscale.low_res",
                "--scheduler", "euler", "--out", dir.resolve("x.png").toString());
        List<String> local = new ArrayList<>(refine);
        local.addAll(List.of("--model", ParityFixtures.model("tiny-sd15").toString(), "--eta", "0.5"));
        List<String> remote = new ArrayList<>(refine);
        remote.addAll(List.of("--model", "tiny-sd15", "--server", SERVER.address(), "--timestep-spacing", "sideways"));
        CliRun here = CliRun.of(local.toArray(String[]::new));
        CliRun there = CliRun.of(remote.toArray(String[]::new));

        assertThat(here.exitCode()).isEqualTo(1);
        assertThat(here.err()).contains("--eta 0.5: euler takes no eta (only ddim and tcd do)");
        assertThat(there.exitCode()).isEqualTo(1);
        assertThat(there.err()).contains("refine.timestep_spacing: 'sideways' is not a spacing");
    }
}
