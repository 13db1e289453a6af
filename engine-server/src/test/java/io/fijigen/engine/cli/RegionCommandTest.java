package io.fijigen.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.TinyModel;
import io.fijigen.engine.image.PngWriter;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.pipeline.GenerationRequest;
import io.fijigen.engine.pipeline.Pipelines;
import io.fijigen.engine.pipeline.RegionPrompt;
import io.fijigen.engine.pipeline.StepListener;
import io.fijigen.engine.server.LoopbackEngineExtension;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.weights.StateDict;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fijigen generate --region MASK_IMG:PROMPT[:WEIGHT]}: the same images as the pipeline given
 * the same regions, locally and on a server; the weight is the last {@code :number} only.
 */
class RegionCommandTest {
    private static final int SIDE = 128;

    @RegisterExtension
    static final LoopbackEngineExtension SERVER = LoopbackEngineExtension.demo();

    @TempDir
    Path dir;

    /** An 8-bit grey mask file: 255 on the columns below {@code from}..{@code to}, 0 elsewhere. */
    private Path mask(String name, int from, int to) throws Exception {
        BufferedImage grey = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < SIDE; y++) {
            for (int x = from; x < to; x++) {
                grey.getRaster().setSample(x, y, 0, 255);
            }
        }
        Path file = dir.resolve(name);
        ImageIO.write(grey, "png", file.toFile());
        return file;
    }

    private static HostTensor columns(int from, int to) {
        float[] mask = new float[SIDE * SIDE];
        for (int y = 0; y < SIDE; y++) {
            for (int x = from; x < to; x++) {
                mask[y * SIDE + x] = 1;
            }
        }
        return new HostTensor(mask, new long[] {1, 1, SIDE, SIDE});
    }

    private List<String> args(Path left, Path right, String... more) {
        List<String> args = new ArrayList<>(List.of("--prompt", "a city street", "--steps", "3", "--seed", "5",
                "--scheduler", "ddim", "--width", "128", "--height", "128",
                "--region", left + ":a red apple: on a table:1.5", "--region", right + ":a blue car"));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void regionsGiveThePipelinesImagesLocallyAndOnAServer() throws Exception {
        Path left = mask("left.png", 0, 48);
        Path right = mask("right.png", 80, SIDE);
        Path tensor = dir.resolve("local.safetensors");
        List<String> local = new ArrayList<>(List.of("generate", "--model",
                ParityFixtures.model("tiny-sd15").toString()));
        local.addAll(args(left, right, "--out", dir.resolve("local.png").toString(), "--out-tensor",
                tensor.toString()));
        CliRun here = CliRun.of(local.toArray(String[]::new));
        assertThat(here.exitCode()).as(here.err()).isZero();

        GenerationRequest request = GenerationRequest.builder("a city street").steps(3).seed(5).scheduler("ddim")
                .size(SIDE, SIDE)
                .region(new RegionPrompt(columns(0, 48), "a red apple: on a table", 1.5))
                .region(new RegionPrompt(columns(80, SIDE), "a blue car", 1))
                .build();
        HostTensor expected;
        try (StableDiffusion model = TinyModel.load("tiny-sd15")) {
            expected = Pipelines.generate(model, request, StepListener.NONE).images();
        }
        try (ParityFixtures.Session session = new ParityFixtures.Session();
                StateDict written = StateDict.open(List.of(tensor), session.manager, DataType.FLOAT32)) {
            assertThat(written.get("images").toFloatArray()).containsExactly(expected.data());
        }

        List<String> remote = new ArrayList<>(List.of("generate", "--server", SERVER.address(), "--model",
                "tiny-sd15"));
        remote.addAll(args(left, right, "--out", dir.resolve("remote.png").toString()));
        CliRun there = CliRun.of(remote.toArray(String[]::new));
        assertThat(there.exitCode()).as(there.err()).isZero();
        BufferedImage a = ImageIO.read(dir.resolve("local.png").toFile());
        BufferedImage b = ImageIO.read(dir.resolve("remote.png").toFile());
        int differing = 0;
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                differing += a.getRGB(x, y) != b.getRGB(x, y) ? 1 : 0;
            }
        }
        assertThat(differing).isZero();
        assertThat(PngWriter.readParameters(dir.resolve("remote.png")))
                .contains(", Region 1: \"a red apple: on a table @1.5\", Region 2: \"a blue car @1\"");
    }

    @Test
    void theWeightIsTheLastNumberAfterTheFirstColon() {
        assertThat(RegionOptions.Argument.parse("m.png:a red apple:1.5"))
                .isEqualTo(new RegionOptions.Argument("m.png", "a red apple", 1.5));
        assertThat(RegionOptions.Argument.parse("m.png:ratio 16:9 poster"))
                .isEqualTo(new RegionOptions.Argument("m.png", "ratio 16:9 poster", null));
        assertThat(RegionOptions.Argument.parse("m.png:a cat")).isEqualTo(new RegionOptions.Argument("m.png", "a cat",
                null));
    }

    @Test
    void refusalsNameTheRegionOption() throws Exception {
        Path left = mask("left.png", 0, 48);
        Path small = dir.resolve("small.png");
        ImageIO.write(new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY), "png", small.toFile());
        String model = ParityFixtures.model("tiny-sd15").toString();
        CliRun wrongSize = CliRun.of("generate", "--model", model, "--prompt", "a city", "--steps", "1",
                "--width", "128", "--height", "128", "--region", small + ":a cat", "--out", dir.resolve("o.png")
                        .toString());
        assertThat(wrongSize.exitCode()).isEqualTo(1);
        assertThat(wrongSize.err()).contains("--region " + small, "64x64", "128x128");
        CliRun weight = CliRun.of("generate", "--model", model, "--prompt", "a city", "--steps", "1",
                "--width", "128", "--height", "128", "--region", left + ":a cat:12", "--out", dir.resolve("o.png")
                        .toString());
        assertThat(weight.exitCode()).isEqualTo(1);
        assertThat(weight.err()).contains("--region " + left, "12 is outside (0, 10]");
        Path broken = dir.resolve("broken.png");
        Files.write(broken, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3});
        CliRun corrupt = CliRun.of("generate", "--model", model, "--prompt", "a city", "--steps", "1",
                "--region", broken + ":a cat", "--out", dir.resolve("o.png").toString());
        assertThat(corrupt.exitCode()).isEqualTo(1);
        assertThat(corrupt.err()).contains("broken.png", "corrupt or unreadable image");
    }
}
