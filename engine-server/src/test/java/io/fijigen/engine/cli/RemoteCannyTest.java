package io.fijigen.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.image.CannyFixtures;
import io.fijigen.engine.server.LoopbackEngineExtension;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code fijigen canny --server}: the server's edge map is the reference's. */
class RemoteCannyTest {
    private static final int SIDE = 128;
    @RegisterExtension
    static final LoopbackEngineExtension SERVER = LoopbackEngineExtension.demo();

    @TempDir
    Path dir;

    private static byte[] golden(String name) {
        try (ParityFixtures.Session session = new ParityFixtures.Session()) {
            return CannyFixtures.bytes(session.golden(name));
        }
    }

    @Test
    void theServersEdgeMapIsTheReference() throws Exception {
        Path input = dir.resolve("input.png");
        ImageIO.write(CannyFixtures.rgbImage(golden(CannyFixtures.INPUT_RGB), SIDE, SIDE), "png", input.toFile());
        Path output = dir.resolve("edges.png");

        CliRun run = CliRun.of("canny", input.toString(), "--server", SERVER.address(),
                "--low", "100", "--high", "200", "--out", output.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        BufferedImage written = ImageIO.read(output.toFile());
        int[] samples = written.getRaster().getSamples(0, 0, SIDE, SIDE, 0, (int[]) null);
        byte[] ours = new byte[SIDE * SIDE];
        for (int i = 0; i < ours.length; i++) {
            ours[i] = (byte) samples[i];
        }
        assertThat(CannyFixtures.differing("remote canny.edges_100_200", ours, golden("canny.edges_100_200")))
                .isZero();
        assertThat(run.out()).startsWith("wrote " + output + " (128×128, ");
    }

    @Test
    void lowAboveHighIsTheServersInvalidArgument() throws Exception {
        Path input = dir.resolve("input.png");
        ImageIO.write(CannyFixtures.rgbImage(golden(CannyFixtures.INPUT_RGB), SIDE, SIDE), "png", input.toFile());
        CliRun run = CliRun.of("canny", input.toString(), "--server", SERVER.address(),
                "--low", "200", "--high", "100", "--out", dir.resolve("e.png").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: INVALID_ARGUMENT: ");
        assertThat(dir.resolve("e.png")).doesNotExist();
    }
}
