package io.fijigen.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.image.CannyFixtures;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fijigen canny}: the PNG it writes is the reference edge map; bad input is one clear line. */
class CannyCommandTest {
    private static final int SIDE = 128;

    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static byte[] golden(String name) {
        try (ParityFixtures.Session session = new ParityFixtures.Session()) {
            return CannyFixtures.bytes(session.golden(name));
        }
    }

    /** The fixture's RGB input written as a PNG. */
    private Path inputPng() throws Exception {
        Path png = dir.resolve("input.png");
        ImageIO.write(CannyFixtures.rgbImage(golden(CannyFixtures.INPUT_RGB), SIDE, SIDE), "png", png.toFile());
        return png;
    }

    @Test
    void writesTheReferenceEdgeMapAsGreyPng() throws Exception {
        Path input = inputPng();
        Path output = dir.resolve("edges.png");

        CliRun result = run("canny", input.toString(), "--low", "100", "--high", "200", "--out", output.toString());

        assertThat(result.err()).isEmpty();
        assertThat(result.exitCode()).isZero();
        BufferedImage written = ImageIO.read(output.toFile());
        assertThat(written.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
        byte[] ours = new byte[SIDE * SIDE];
        int[] samples = written.getRaster().getSamples(0, 0, SIDE, SIDE, 0, (int[]) null);
        for (int i = 0; i < ours.length; i++) {
            ours[i] = (byte) samples[i];
        }
        assertThat(CannyFixtures.differing("cli canny.edges_100_200", ours, golden("canny.edges_100_200"))).isZero();
        long edgePixels = Arrays.stream(samples).filter(v -> v != 0).count();
        assertThat(result.out()).isEqualTo(String.format("wrote %s (128×128, %d edge pixels)%n", output, edgePixels));
    }

    @Test
    void missingFileIsNamed() {
        CliRun result = run("canny", dir.resolve("nope.png").toString(), "--out", dir.resolve("e.png").toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("error:").contains("nope.png").contains("not found");
    }

    @Test
    void corruptPngIsNamed() throws Exception {
        byte[] png = Files.readAllBytes(inputPng());
        Path broken = dir.resolve("broken.png");
        Files.write(broken, Arrays.copyOf(png, png.length / 2));

        CliRun result = run("canny", broken.toString(), "--out", dir.resolve("e.png").toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("error:").contains("broken.png").contains("corrupt");
        assertThat(dir.resolve("e.png")).doesNotExist();
    }

    @Test
    void fileThatIsNoImageIsNamed() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.png"), "just text");
        CliRun result = run("canny", text.toString(), "--out", dir.resolve("e.png").toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("error:").contains("notes.png").contains("not an image");
    }

    @Test
    void imageWiderThan4096IsRefusedFromItsHeader() throws Exception {
        Path wide = dir.resolve("wide.png");
        ImageIO.write(new BufferedImage(4097, 1, BufferedImage.TYPE_BYTE_GRAY), "png", wide.toFile());
        CliRun result = run("canny", wide.toString(), "--out", dir.resolve("e.png").toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("wide.png").contains("4097×1").contains("4096");
    }

    @Test
    void lowAboveHighNamesBothValues() throws Exception {
        Path input = inputPng();
        CliRun result = run("canny", input.toString(), "--low", "200", "--high", "100",
                "--out", dir.resolve("e.png").toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("error:").contains("200.0").contains("100.0");
        assertThat(dir.resolve("e.png")).doesNotExist();
    }
}
