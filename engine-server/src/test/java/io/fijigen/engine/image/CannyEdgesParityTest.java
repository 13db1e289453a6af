package io.fijigen.engine.image;

import static io.fijigen.engine.image.CannyFixtures.bytes;
import static io.fijigen.engine.image.CannyFixtures.differing;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.fijigen.engine.ParityFixtures;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Edge maps equal, pixel for pixel, to {@code cv2.Canny} on the fixture images (README: exact). */
class CannyEdgesParityTest {
    private static final int SIDE = 128;
    @RegisterExtension
    static final ParityFixtures.Session session = new ParityFixtures.Session();

    @ParameterizedTest
    @CsvSource({"100, 200", "50, 150", "10, 60"})
    void rgbEdgesMatchTheReference(int low, int high) {
        NDArray input = session.golden(CannyFixtures.INPUT_RGB);
        assertThat(input.getShape()).isEqualTo(new Shape(SIDE, SIDE, 3));
        String name = "canny.edges_" + low + "_" + high;
        byte[] ours = CannyEdges.edges(bytes(input), SIDE, SIDE, 3, low, high);
        assertThat(differing(name, ours, bytes(session.golden(name)))).isZero();
    }

    @Test
    void greyEdgesMatchTheReference() {
        byte[] ours = CannyEdges.edges(bytes(session.golden(CannyFixtures.INPUT_GREY)), SIDE, SIDE, 1, 100, 200);
        byte[] reference = bytes(session.golden("canny.gray_edges_100_200"));
        assertThat(differing("canny.gray_edges_100_200", ours, reference)).isZero();
    }

    @Test
    void bufferedImagesGiveTheSameEdgesForRgbAndGrey() {
        BufferedImage rgb = CannyFixtures.rgbImage(bytes(session.golden(CannyFixtures.INPUT_RGB)), SIDE, SIDE);
        assertThat(pixels(CannyEdges.edges(rgb, 100, 200))).isEqualTo(bytes(session.golden("canny.edges_100_200")));

        // Grey must reach OpenCV as stored: Java's getRGB would convert linear grey to sRGB first.
        BufferedImage grey = ImagePixels.greyImage(bytes(session.golden(CannyFixtures.INPUT_GREY)), SIDE, SIDE);
        assertThat(pixels(CannyEdges.edges(grey, 100, 200)))
                .isEqualTo(bytes(session.golden("canny.gray_edges_100_200")));
    }

    @Test
    void controlImageIsTheEdgeMapOnThreeChannelsInZeroToOne() {
        byte[] edges = bytes(session.golden("canny.edges_100_200"));
        float[] control = CannyEdges.controlImage(edges);
        assertThat(control).hasSize(3 * SIDE * SIDE);
        int plane = SIDE * SIDE;
        for (int i = 0; i < plane; i++) {
            float expected = edges[i] != 0 ? 1f : 0f;
            assertThat(new float[] {control[i], control[plane + i], control[2 * plane + i]})
                    .as("pixel %d", i)
                    .containsOnly(expected);
        }
    }

    private static byte[] pixels(BufferedImage greyImage) {
        assertThat(greyImage.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
        return ((DataBufferByte) greyImage.getRaster().getDataBuffer()).getData();
    }
}
