package io.fijigen.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fijigen.engine.tensor.HostTensor;
import org.junit.jupiter.api.Test;

/** The grown canvas of outpainting: the image kept bit for bit at (left, top), each fill's border, the border mask. */
class ExpandedCanvasTest {
    /** A 4×3 grey ramp, value x/10 + y/100, so each pixel tells where it came from. */
    private static HostTensor ramp() {
        float[] data = new float[12];
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 4; x++) {
                data[y * 4 + x] = x / 10f + y / 100f;
            }
        }
        return new HostTensor(data, new long[] {1, 1, 3, 4});
    }

    private static float at(HostTensor canvas, int x, int y) {
        return canvas.data()[y * (int) canvas.dim(3) + x];
    }

    private static void assertImageKept(HostTensor canvas, HostTensor image, int left, int top) {
        for (int y = 0; y < image.dim(2); y++) {
            for (int x = 0; x < image.dim(3); x++) {
                assertThat(at(canvas, x + left, y + top)).as("(%d, %d)", x, y).isEqualTo(at(image, x, y));
            }
        }
    }

    @Test
    void edgeReplicatesTheNearestPixel() {
        HostTensor canvas = ExpandedCanvas.expand(ramp(), 2, 1, 3, 0, BorderFill.EDGE, 0);
        assertThat(canvas.shape()).containsExactly(1, 1, 4, 9);
        assertImageKept(canvas, ramp(), 2, 1);
        assertThat(at(canvas, 0, 0)).isEqualTo(0f);
        assertThat(at(canvas, 8, 0)).isEqualTo(0.3f);
        assertThat(at(canvas, 8, 3)).isEqualTo(0.3f + 0.02f);
        assertThat(at(canvas, 1, 2)).isEqualTo(0.01f);
    }

    @Test
    void noiseIsSeededUniformAndLeavesTheImage() {
        HostTensor canvas = ExpandedCanvas.expand(ramp(), 0, 0, 6, 5, BorderFill.NOISE, 42);
        assertImageKept(canvas, ramp(), 0, 0);
        assertThat(canvas).isEqualTo(ExpandedCanvas.expand(ramp(), 0, 0, 6, 5, BorderFill.NOISE, 42));
        assertThat(canvas).isNotEqualTo(ExpandedCanvas.expand(ramp(), 0, 0, 6, 5, BorderFill.NOISE, 43));
        double sum = 0;
        for (int y = 3; y < 8; y++) {
            for (int x = 0; x < 10; x++) {
                float value = at(canvas, x, y);
                assertThat(value).isBetween(0f, 1f);
                sum += value;
            }
        }
        assertThat(sum / 50).isBetween(0.35, 0.65);
    }

    /** A black half and a white half: edge replication carries the step into the border, the blur softens it. */
    @Test
    void blurSoftensTheReplicatedEdgeAndLeavesTheImage() {
        float[] data = new float[40 * 2];
        for (int x = 20; x < 40; x++) {
            data[x] = 1f;
            data[40 + x] = 1f;
        }
        HostTensor image = new HostTensor(data, new long[] {1, 1, 2, 40});
        HostTensor edge = ExpandedCanvas.expand(image, 0, 0, 0, 30, BorderFill.EDGE, 0);
        HostTensor blurred = ExpandedCanvas.expand(image, 0, 0, 0, 30, BorderFill.BLUR, 0);
        assertImageKept(blurred, image, 0, 0);
        assertThat(at(edge, 19, 20)).isEqualTo(0f);
        assertThat(at(edge, 20, 20)).isEqualTo(1f);
        assertThat(at(blurred, 19, 20)).isBetween(0.3f, 0.5f);
        assertThat(at(blurred, 20, 20)).isBetween(0.5f, 0.7f);
        assertThat(at(blurred, 0, 31)).isLessThan(at(blurred, 19, 31));
    }

    @Test
    void maskIsOneOutsideTheKeptRectangle() {
        HostTensor mask = ExpandedCanvas.maskOutside(5, 4, 1, 0, 3, 2);
        assertThat(mask.shape()).containsExactly(1, 1, 4, 5);
        assertThat(mask.data()).containsExactly(
                1, 0, 0, 1, 1,
                1, 0, 0, 1, 1,
                1, 1, 1, 1, 1,
                1, 1, 1, 1, 1);
        assertThat(ExpandedCanvas.maskOutside(3, 2, 2, 0, 1, 2).data()).containsOnly(1f);
    }

    @Test
    void negativeBordersAreRefused() {
        assertThatThrownBy(() -> ExpandedCanvas.expand(ramp(), 0, -1, 0, 0, BorderFill.EDGE, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0, -1, 0, 0");
    }

    @Test
    void fillsByTheirNames() {
        assertThat(BorderFill.fromId("blur")).isEqualTo(BorderFill.BLUR);
        assertThatThrownBy(() -> BorderFill.fromId("smear")).hasMessage("unknown fill 'smear' (one of edge, noise,"
                + " blur)");
    }
}
