package io.fijigen.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.image.PngWriter;
import io.fijigen.engine.weights.StateDict;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fijigen generate} run as its own process, as a user runs it. */
class GenerateCommandTest {
    @TempDir
    Path dir;

    private static String[] fixtureArgs(String... more) {
        List<String> args = new ArrayList<>(List.of("generate",
                "--model", ParityFixtures.model("tiny-sd15").toString(),
                "--prompt", "A cyberpunk city, neon lights",
                "--negative-prompt", "blurry",
                "--steps", "5", "--guidance", "7.5", "--width", "128", "--height", "128",
                "--scheduler", "ddim"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void givenLatentsReproduceTheDdimFixture() throws Exception {
        Path tensor = dir.resolve("images.safetensors");
        CliProcess run = CliProcess.run(fixtureArgs(
                "--latents", ParityFixtures.ROOT.resolve("goldens.safetensors") + "#pipe.latents",
                "--out", dir.resolve("ddim.png").toString(),
                "--out-tensor", tensor.toString()));
        assertThat(run.exitCode()).as(run.out()).isZero();
        // Before NnpackSwitch, libtorch wrote "Could not initialize NNPACK!" lines here on CPUs without NNPACK.
        assertThat(run.out()).doesNotContain("NNPACK");
        try (ParityFixtures.Session session = new ParityFixtures.Session();
                StateDict written = StateDict.open(List.of(tensor), session.manager, ai.djl.ndarray.types.DataType.FLOAT32)) {
            NDArray images = written.get("images");
            ParityFixtures.assertClose("cli pipe.txt2img.ddim", images, session.golden("pipe.txt2img.ddim"), 1e-3);
        }
    }

    /** SD-Turbo style from the command line: Euler ancestral, --timestep-spacing trailing, guidance 0, 4 steps. */
    @Test
    void trailingEulerAncestralAtGuidance0ReproducesTheFewStepFixture() throws Exception {
        Path tensor = dir.resolve("turbo.safetensors");
        CliProcess run = CliProcess.run("generate", "--model", ParityFixtures.model("tiny-sd15").toString(),
                "--prompt", "A cyberpunk city, neon lights", "--negative-prompt", "blurry",
                "--steps", "4", "--guidance", "0", "--width", "128", "--height", "128", "--seed", "42",
                "--scheduler", "euler_a", "--timestep-spacing", "trailing",
                "--latents", ParityFixtures.ROOT.resolve("goldens.safetensors") + "#pipe.latents",
                "--out", dir.resolve("turbo.png").toString(), "--out-tensor", tensor.toString());
        assertThat(run.exitCode()).as(run.out()).isZero();
        assertImagesMatch("pipe.txt2img.euler_a_trailing.4step.seed42", tensor);
    }

    private void assertImagesMatch(String fixture, Path tensor) throws Exception {
        try (ParityFixtures.Session session = new ParityFixtures.Session();
                StateDict written = StateDict.open(List.of(tensor), session.manager, ai.djl.ndarray.types.DataType.FLOAT32)) {
            ParityFixtures.assertClose("cli " + fixture, written.get("images"), session.golden(fixture), 1e-3);
        }
    }

    @Test
    void cannyControlNetFromAnRgbTensorReproducesTheFixture() throws Exception {
        String goldens = ParityFixtures.ROOT.resolve("goldens.safetensors").toString();
        Path tensor = dir.resolve("controlnet.safetensors");
        CliProcess run = CliProcess.run(fixtureArgs(
                "--latents", goldens + "#pipe.latents",
                "--controlnet", ParityFixtures.model("tiny-controlnet-canny").toString(),
                "--control-image", goldens + "#canny.input_rgb_u8", "--canny", "100,200",
                "--out", dir.resolve("controlnet.png").toString(),
                "--out-tensor", tensor.toString()));
        assertThat(run.exitCode()).as(run.out()).isZero();
        assertImagesMatch("pipe.controlnet.ddim", tensor);
    }

    @Test
    void nineChannelInpaintingFromTensorsReproducesTheFixture() throws Exception {
        String goldens = ParityFixtures.ROOT.resolve("goldens.safetensors").toString();
        Path tensor = dir.resolve("inpaint.safetensors");
        CliProcess run = CliProcess.run("generate",
                "--model", ParityFixtures.model("tiny-sd15-inpaint").toString(),
                "--prompt", "A cyberpunk city, neon lights", "--negative-prompt", "blurry",
                "--steps", "5", "--guidance", "7.5", "--seed", "4",
                "--init-image", goldens + "#pipe.init_image", "--strength", "1",
                "--mask", goldens + "#pipe.mask", "--no-paste-back",
                "--latents", goldens + "#pipe.latents",
                "--out", dir.resolve("inpaint.png").toString(), "--out-tensor", tensor.toString());
        assertThat(run.exitCode()).as(run.out()).isZero();
        assertImagesMatch("pipe.inpaint9.ddim.seed4", tensor);
    }

    @Test
    void pngCarriesTheGenerationParameters() throws Exception {
        Path png = dir.resolve("city.png");
        CliProcess run = CliProcess.run(fixtureArgs("--seed", "42", "--out", png.toString()));
        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out()).contains("wrote " + png).contains("seed 42");
        assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(128);
        assertThat(PngWriter.readParameters(png)).isEqualTo("A cyberpunk city, neon lights\n"
                + "Negative prompt: blurry\n"
                + "Steps: 5, Sampler: DDIM, CFG scale: 7.5, Seed: 42, Size: 128x128, Model: tiny-sd15");
    }

    @Test
    void randomSeedIsReportedAndSeveralImagesGetNumberedFiles() throws Exception {
        CliProcess run = CliProcess.run(fixtureArgs("--num-images", "2", "--out-dir", dir.toString()));
        assertThat(run.exitCode()).as(run.out()).isZero();
        String seed = run.out().replaceAll("(?s).*\\(seed (\\d+)\\).*", "$1");
        assertThat(new File(dir.toFile(), seed + "-1.png")).exists();
        assertThat(new File(dir.toFile(), seed + "-2.png")).exists();
        assertThat(PngWriter.readParameters(dir.resolve(seed + "-2.png"))).contains("Seed: " + seed + ",");
    }
}
