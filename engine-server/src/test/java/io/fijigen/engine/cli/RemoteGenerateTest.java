package io.fijigen.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.server.LoopbackEngine;
import io.fijigen.engine.image.PngWriter;
import io.fijigen.engine.weights.StateDict;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fijigen generate --server}: the fixture job run by a loopback engine server. */
class RemoteGenerateTest {
    private static LoopbackEngine server;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        server = new LoopbackEngine(2);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** The fixture request of EngineServiceTest, as a command line. */
    private static CliRun generate(String model, String... more) {
        List<String> args = new ArrayList<>(List.of("generate", "--server", server.address(),
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
                "--server", "127.0.0.1:" + down + "," + server.address(), "--model", "tiny-sd15",
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
}
