package io.fijigen.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.image.PngWriter;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code fijigen generate --init-image IMG --outpaint L,T,R,B} on the tiny models, as the issue asks:
 * a 128×96 image grown by 32,0,16,8 is 176×104, its pixels beyond overlap + feather (8 + 4) are the
 * file's own, and the border is painted.
 */
class OutpaintCommandTest {
    private static final int WIDTH = 128;
    private static final int HEIGHT = 96;
    private static final int KEPT_FROM_BORDER = 8 + 4;

    @TempDir
    Path dir;

    private static BufferedImage picture() {
        Random random = new Random(3);
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return image;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-sd15-inpaint", "tiny-sd15"})
    void growsTheCanvasAndKeepsTheImageBeyondTheFeather(String model) throws Exception {
        BufferedImage input = picture();
        Path in = dir.resolve("in.png");
        ImageIO.write(input, "png", in.toFile());
        Path out = dir.resolve("out.png");
        CliRun run = CliRun.of("generate", "--model", ParityFixtures.model(model).toString(),
                "--prompt", "a beach", "--steps", "3", "--seed", "5", "--scheduler", "ddim",
                "--init-image", in.toString(), "--outpaint", "32,0,16,8", "--outpaint-fill", "blur",
                "--out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        BufferedImage result = ImageIO.read(out.toFile());
        assertThat(result.getWidth()).isEqualTo(176);
        assertThat(result.getHeight()).isEqualTo(104);
        assertThat(PngWriter.readParameters(out)).contains("Size: 176x104");
        for (int y = 0; y < HEIGHT - KEPT_FROM_BORDER; y++) {
            for (int x = KEPT_FROM_BORDER; x < WIDTH - KEPT_FROM_BORDER; x++) {
                assertThat(result.getRGB(x + 32, y) & 0xffffff).as("%s (%d, %d)", model, x, y)
                        .isEqualTo(input.getRGB(x, y) & 0xffffff);
            }
        }
        int changed = 0;
        for (int y = 0; y < 104; y++) {
            for (int x = 0; x < 32; x++) {
                int replicated = input.getRGB(0, Math.min(y, HEIGHT - 1)) & 0xffffff;
                changed += (result.getRGB(x, y) & 0xffffff) != replicated ? 1 : 0;
            }
        }
        assertThat(changed).as("%s: new pixels of the left border unlike the image's edge", model)
                .isGreaterThan(32 * 104 * 9 / 10);
    }
}
