package io.fijigen.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.image.PngWriter;
import io.fijigen.engine.weights.StateDict;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fijigen upscale}: the fixture through the command line, and its bad inputs. */
class UpscaleCommandTest {
    @TempDir
    Path dir;

    private CliRun upscale(String... more) {
        String goldens = ParityFixtures.ROOT.resolve("goldens.safetensors").toString();
        List<String> args = new ArrayList<>(List.of("upscale",
                "--model", ParityFixtures.model("tiny-x4-upscaler").toString(),
                "--prompt", "a sharp photo", "--negative-prompt", "blurry",
                "--steps", "5", "--guidance", "9", "--seed", "25",
                "--latents", goldens + "#upscale.latents"));
        args.addAll(List.of(more));
        if (!args.contains("--image")) {
            args.addAll(List.of("--image", goldens + "#upscale.low_res"));
        }
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void noiseLevel20ReproducesTheFixture() throws Exception {
        Path tensor = dir.resolve("up.safetensors");
        CliRun result = upscale("--noise-level", "20", "--out-tensor", tensor.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        try (ParityFixtures.Session session = new ParityFixtures.Session();
                StateDict written = StateDict.open(List.of(tensor), session.manager, ai.djl.ndarray.types.DataType.FLOAT32)) {
            ParityFixtures.assertClose("cli pipe.upscale.nl20", written.get("images"), session.golden("pipe.upscale.nl20"),
                    1e-3);
        }
    }

    @Test
    void pngIsFourTimesTheInputWithParameters() throws Exception {
        Path png = dir.resolve("up.png");
        CliRun result = upscale("--out", png.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(128);
        assertThat(PngWriter.readParameters(png)).startsWith("a sharp photo\nNegative prompt: blurry\nSteps: 5,")
                .contains("Seed: 25,").contains("Size: 128x128").contains("Model: tiny-x4-upscaler");
    }

    @Test
    void noiseLevelOutOfRange() {
        CliRun result = upscale("--noise-level", "400", "--out", dir.resolve("x.png").toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("noise_level: 400 is outside 0..350");
    }

    @Test
    void imageTooSmall() throws Exception {
        Path small = dir.resolve("small.png");
        ImageIO.write(new java.awt.image.BufferedImage(6, 12, java.awt.image.BufferedImage.TYPE_INT_RGB), "png",
                small.toFile());
        CliRun result = upscale("--image", small.toString(), "--out", dir.resolve("x.png").toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("small.png: image is 6×12 pixels; sides from 8 to 1024 are accepted here");
    }

    @Test
    void unreadableImage() throws Exception {
        Path broken = dir.resolve("broken.png");
        Files.write(broken, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        CliRun result = upscale("--image", broken.toString(), "--out", dir.resolve("x.png").toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("broken.png");
        assertThat(dir.resolve("x.png")).doesNotExist();
    }

    @Test
    void tileOverlapMustBeLessThanHalfTheTile() {
        CliRun result = upscale("--tile", "32", "--tile-overlap", "16", "--out", dir.resolve("x.png").toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("tile_overlap: 16 is outside 0..15 (less than half the tile 32)");
    }

    @Test
    void withoutAModelLanczosAloneResizesByTheFactor() throws Exception {
        Path source = dir.resolve("small.png");
        ImageIO.write(new java.awt.image.BufferedImage(30, 20, java.awt.image.BufferedImage.TYPE_INT_RGB), "png",
                source.toFile());
        Path png = dir.resolve("double.png");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = FijigenCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("upscale", "--image", source.toString(), "--factor", "2", "--out", png.toString());
        assertThat(code).as(err.toString()).isZero();
        var image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(60);
        assertThat(image.getHeight()).isEqualTo(40);
        assertThat(PngWriter.readParameters(png)).isEqualTo("Upscaled x2 by Lanczos resampling, Size: 60x40");
    }
}
