package io.fijigen.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.image.PngWriter;
import io.fijigen.engine.server.LoopbackEngineExtension;
import io.fijigen.engine.weights.StateDict;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code fijigen generate --server}: the fixture job run by a loopback engine server. */
class RemoteGenerateTest {
    @RegisterExtension
    static final LoopbackEngineExtension SERVER = LoopbackEngineExtension.demo();

    @TempDir
    Path dir;

    /** The fixture request of EngineServiceTest, as a command line. */
    private static CliRun generate(String model, String... more) {
        List<String> args = new ArrayList<>(List.of("generate", "--server", SERVER.address(),
                "--model", model,
                "--prompt", "A cyberpunk city, neon lights",
                "--negative-prompt", "blurry",
                "--steps", "5", "--guidance", "7.5", "--scheduler", "ddim",
                "--width", "128", "--height", "128", "--seed", "0",
                "--latents", ParityFixtures.ROOT.resolve("goldens.safetensors") + "#pipe.latents"));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void theFixtureJobWritesTheReferenceImagesAndTheServersPng() throws Exception {
        Path png = dir.resolve("remote.png");
        Path tensor = dir.resolve("remote.safetensors");

        CliRun run = generate("tiny-sd15", "--out", png.toString(), "--out-tensor", tensor.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("queued at position 0");
        assertThat(run.out()).contains("wrote " + png + " (seed 0)").contains("wrote " + tensor);
        // PNG quantisation: within one grey level of the reference's float pixels.
        try (ParityFixtures.Session session = new ParityFixtures.Session();
                StateDict written = StateDict.open(List.of(tensor), session.manager,
                        ai.djl.ndarray.types.DataType.FLOAT32)) {
            ParityFixtures.assertClose("remote pipe.txt2img.ddim", written.get("images"),
                    session.golden("pipe.txt2img.ddim"), 1 / 255.0);
        }
        assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(128);
        assertThat(PngWriter.readParameters(png)).startsWith("A cyberpunk city, neon lights\nNegative prompt: blurry\n")
                .contains("Sampler: DDIM").contains("Seed: 0,").contains("Model: tiny-sd15");
    }

    @Test
    void severalServersShareTheJobsAmongThoseThatAreUp() throws Exception {
        int down;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            down = closed.getLocalPort();
        }
        Path png = dir.resolve("shared.png");
        CliRun run = CliRun.of("generate",
                "--server", "127.0.0.1:" + down + "," + SERVER.address(), "--model", "tiny-sd15",
                "--prompt", "a lighthouse", "--steps", "2", "--seed", "3", "--out", png.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(PngWriter.readParameters(png)).contains("Seed: 3,").contains("Model: tiny-sd15");
    }

    @Test
    void anUnknownModelIsTheServersNotFound() {
        CliRun run = generate("no-such-model", "--out", dir.resolve("x.png").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: NOT_FOUND: ").contains("no-such-model");
        assertThat(dir.resolve("x.png")).doesNotExist();
    }

    @Test
    void aLocalDeviceHasNoMeaningOnAServer() {
        CliRun run = generate("tiny-sd15", "--device", "gpu", "--out", dir.resolve("x.png").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo(String.format("error: --device has no meaning with --server: the server's"
                + " model registry decides where and in which precision a model runs%n"));
    }

    @Test
    void leftUnsetTheStepsAreTheServerModelsDefault() throws Exception {
        Path png = dir.resolve("defaults.png");
        // The demo registry gives tiny-sd15 default_steps 4; the command line's own default is 50.
        CliRun run = CliRun.of("generate", "--server", SERVER.address(), "--model", "tiny-sd15", "--prompt", "a cat",
                "--seed", "1", "--out", png.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(io.fijigen.engine.image.PngWriter.readParameters(png)).contains("Steps: 4,").contains("CFG scale: 7.5,");
    }

    /** The fixture's init image and mask written as 8-bit PNGs, as a user would have them. */
    private Path[] initAndMask() throws Exception {
        try (ParityFixtures.Session session = new ParityFixtures.Session()) {
            float[] image = session.golden("pipe.init_image").toFloatArray();
            float[] mask = session.golden("pipe.mask").toFloatArray();
            java.awt.image.BufferedImage rgb = new java.awt.image.BufferedImage(128, 128,
                    java.awt.image.BufferedImage.TYPE_INT_RGB);
            java.awt.image.BufferedImage grey = new java.awt.image.BufferedImage(128, 128,
                    java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
            for (int at = 0; at < 128 * 128; at++) {
                int r = Math.round(image[at] * 255);
                int g = Math.round(image[128 * 128 + at] * 255);
                int b = Math.round(image[2 * 128 * 128 + at] * 255);
                rgb.setRGB(at % 128, at / 128, r << 16 | g << 8 | b);
                grey.getRaster().setSample(at % 128, at / 128, 0, mask[at] >= 0.5f ? 255 : 0);
            }
            Path init = dir.resolve("init.png");
            Path maskPng = dir.resolve("mask.png");
            javax.imageio.ImageIO.write(rgb, "png", init.toFile());
            javax.imageio.ImageIO.write(grey, "png", maskPng.toFile());
            return new Path[] {init, maskPng};
        }
    }

    /** The same inpainting job, with a canny ControlNet from the init image, locally and on the server. */
    @Test
    void inpaintingWithAControlNetOnTheServerEqualsTheLocalRun() throws Exception {
        Path[] files = initAndMask();
        List<String> common = List.of("--prompt", "a lighthouse", "--steps", "3", "--seed", "9",
                "--init-image", files[0].toString(), "--strength", "1", "--mask", files[1].toString(),
                "--mask-blur", "4");
        List<String> local = new ArrayList<>(List.of("generate", "--model",
                ParityFixtures.model("tiny-sd15-inpaint").toString(), "--controlnet",
                ParityFixtures.model("tiny-controlnet-canny").toString(), "--canny", "100,200",
                "--out", dir.resolve("local.png").toString()));
        local.addAll(common);
        List<String> remote = new ArrayList<>(List.of("generate", "--server", SERVER.address(), "--model",
                "tiny-sd15-inpaint", "--controlnet", "tiny-controlnet-canny", "--canny", "100,200",
                "--out", dir.resolve("remote.png").toString()));
        remote.addAll(common);
        CliRun here = CliRun.of(local.toArray(String[]::new));
        CliRun there = CliRun.of(remote.toArray(String[]::new));
        assertThat(here.exitCode()).as(here.err()).isZero();
        assertThat(there.exitCode()).as(there.err()).isZero();
        java.awt.image.BufferedImage a = javax.imageio.ImageIO.read(dir.resolve("local.png").toFile());
        java.awt.image.BufferedImage b = javax.imageio.ImageIO.read(dir.resolve("remote.png").toFile());
        int differing = 0;
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++) {
                if (a.getRGB(x, y) != b.getRGB(x, y)) {
                    differing++;
                }
            }
        }
        assertThat(differing).isZero();
    }
}
