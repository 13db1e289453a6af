package io.fijigen.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.tensor.HostTensor;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PNGs as written: 8-bit RGB rounded as the reference rounds, parameters in a text chunk. */
class PngWriterTest {
    @TempDir
    Path dir;

    /** A 1×2 image: pixel (0,0) = (0, 0.5, 1), pixel (0,1) = (0.2, 0.4, 0.6), NHWC. */
    private static HostTensor twoPixels() {
        return new HostTensor(new float[] {0f, 0.5f, 1f, 0.2f, 0.4f, 0.6f}, new long[] {1, 1, 2, 3});
    }

    @Test
    void valuesRoundToTheNearestByte() {
        BufferedImage image = PngWriter.toImage(twoPixels(), 0);
        // 0.5·255 = 127.5 rounds half to even: 128; 0.2·255 = 51, 0.4·255 = 102, 0.6·255 = 153.
        assertThat(image.getRGB(0, 0) & 0xffffff).isEqualTo((0 << 16) | (128 << 8) | 255);
        assertThat(image.getRGB(1, 0) & 0xffffff).isEqualTo((51 << 16) | (102 << 8) | 153);
    }

    @Test
    void roundTripThroughAFileKeepsPixelsAndParameters() throws Exception {
        Path file = dir.resolve("a.png");
        PngWriter.write(PngWriter.toImage(twoPixels(), 0), "a cat\nSteps: 5, Seed: 1", file);
        HostTensor read = ImageFiles.readTensor(file);
        assertThat(read.shape()).containsExactly(1, 3, 1, 2);
        // NCHW: red plane, green plane, blue plane.
        assertThat(read.data()).containsExactly(0f, 51 / 255f, 128 / 255f, 102 / 255f, 1f, 153 / 255f);
        assertThat(PngWriter.readParameters(file)).isEqualTo("a cat\nSteps: 5, Seed: 1");
    }

    @Test
    void promptsBeyondLatin1GoIntoAnInternationalTextChunk() throws Exception {
        Path file = dir.resolve("cat.png");
        String parameters = "一只猫 🐱\nSteps: 5";
        PngWriter.write(PngWriter.toImage(twoPixels(), 0), parameters, file);
        assertThat(PngWriter.readParameters(file)).isEqualTo(parameters);
    }

    @Test
    void fileWithoutParametersReadsAsNull() throws Exception {
        Path file = dir.resolve("plain.png");
        javax.imageio.ImageIO.write(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB), "png", file.toFile());
        assertThat(PngWriter.readParameters(file)).isNull();
    }
}
