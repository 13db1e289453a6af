package io.fijigen.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import io.fijigen.engine.tensor.HostTensor;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bicubic enlarging and area-averaging shrinking, Lanczos, torch's bilinear and nearest, per axis, on values
 * whose results are known exactly.
 */
class ImageResizeTest {

    private static HostTensor image(int channels, int height, int width, float[] data) {
        return new HostTensor(data, new long[] {1, channels, height, width});
    }

    /** Random 8-bit values as ImageFiles produces them. */
    private static HostTensor random(int channels, int height, int width, long seed) {
        Random random = new Random(seed);
        float[] data = new float[channels * height * width];
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextInt(256) / 255f;
        }
        return image(channels, height, width, data);
    }

    @Test
    void anUnchangedSizeIsAnEqualCopy() {
        HostTensor original = random(3, 5, 7, 1);
        HostTensor same = ImageResize.resize(original, 5, 7);
        assertThat(same).isEqualTo(original);
        assertThat(same.data()).isNotSameAs(original.data());
    }

    @Test
    void enlargingARampTwiceKeepsItsEndpointsAndOrder() {
        // Each of 8 rows ramps 0, 1/7, ..., 1 along x.
        float[] ramp = new float[64];
        for (int i = 0; i < 64; i++) {
            ramp[i] = (i % 8) / 7f;
        }
        HostTensor enlarged = ImageResize.resize(image(1, 8, 8, ramp), 16, 16);
        assertThat(enlarged.shape()).containsExactly(1, 1, 16, 16);
        float[] row = Arrays.copyOfRange(enlarged.data(), 0, 16);
        // The cubic under- and overshoots at the ends, and the clamp to [0, 1] takes it back there.
        assertThat(row[0]).isZero();
        assertThat(row[15]).isEqualTo(1f);
        for (int x = 1; x < 16; x++) {
            assertThat(row[x]).isGreaterThanOrEqualTo(row[x - 1]);
        }
        // Where all four taps are inside the image (outputs 3..12), the cubic reproduces the line:
        // output x samples source (x + 0.5) / 2 − 0.5.
        for (int x = 3; x <= 12; x++) {
            assertThat(row[x]).isCloseTo(((x + 0.5f) / 2 - 0.5f) / 7f, offset(1e-6f));
        }
        // Every row is the same ramp: the vertical pass of a constant column changes nothing.
        for (int y = 1; y < 16; y++) {
            assertThat(Arrays.copyOfRange(enlarged.data(), 16 * y, 16 * y + 16)).containsExactly(row);
        }
    }

    @Test
    void halvingAveragesEachTwoByTwoBlockExactly() {
        HostTensor original = random(2, 6, 8, 2);
        HostTensor halved = ImageResize.resize(original, 3, 4);
        assertThat(halved.shape()).containsExactly(1, 2, 3, 4);
        float[] in = original.data();
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 4; x++) {
                    int at = c * 48 + 2 * y * 8 + 2 * x;
                    // The block's exact mean, rounded once to float.
                    float mean = (float) (((double) in[at] + in[at + 1] + in[at + 8] + in[at + 9]) / 4);
                    assertThat(halved.data()[c * 12 + y * 4 + x]).isEqualTo(mean);
                }
            }
        }
    }

    @Test
    void shrinkingByAFractionWeighsPartlyCoveredPixels() {
        // 3 → 2: output 0 covers pixel 0 and half of pixel 1, output 1 the other half and pixel 2.
        HostTensor shrunk = ImageResize.resize(image(1, 1, 3, new float[] {0.3f, 0.6f, 0.9f}), 1, 2);
        assertThat(shrunk.data()[0]).isCloseTo((0.3f + 0.5f * 0.6f) / 1.5f, offset(1e-7f));
        assertThat(shrunk.data()[1]).isCloseTo((0.5f * 0.6f + 0.9f) / 1.5f, offset(1e-7f));
    }

    @Test
    void aConstantImageStaysExactlyConstant() {
        float[] grey = new float[3 * 5 * 7];
        Arrays.fill(grey, 0.37f);
        HostTensor constant = image(3, 5, 7, grey);
        int[][] sizes = {{13, 11}, {3, 2}, {11, 3}, {2, 17}};
        for (int[] size : sizes) {
            HostTensor resized = ImageResize.resize(constant, size[0], size[1]);
            assertThat(resized.shape()).containsExactly(1, 3, size[0], size[1]);
            for (float value : resized.data()) {
                assertThat(value).as("%d×%d", size[1], size[0]).isEqualTo(0.37f);
            }
        }
    }

    @Test
    void enlargingAHardStepStaysInRange() {
        HostTensor step = image(1, 1, 4, new float[] {0f, 0f, 1f, 1f});
        HostTensor enlarged = ImageResize.resize(step, 1, 12);
        for (float value : enlarged.data()) {
            assertThat(value).isBetween(0f, 1f);
        }
        assertThat(enlarged.data()[5]).isStrictlyBetween(0f, 0.5f);
    }

    @Test
    void sidesMustBePositive() {
        assertThatThrownBy(() -> ImageResize.resize(random(3, 4, 4, 3), 0, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4×0");
    }

    @Test
    void lanczosKeepsAConstantImage() {
        float[] grey = new float[3 * 10 * 12];
        Arrays.fill(grey, 0.4f);
        HostTensor constant = new HostTensor(grey, new long[] {1, 3, 10, 12});
        for (int[] size : new int[][] {{20, 24}, {5, 6}, {7, 17}}) {
            for (float value : ImageResize.lanczos(constant, size[0], size[1]).data()) {
                assertThat(value).isCloseTo(0.4f, offset(1e-6f));
            }
        }
    }

    @Test
    void lanczosShrinkFiltersOutTheFinestStripes() {
        // Alternating 0/1 columns are pure Nyquist frequency: halving them with the kernel widened by
        // the shrink factor leaves their mean, 0.5, away from the edges.
        float[] stripes = new float[32 * 32];
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = (i % 32) % 2;
        }
        HostTensor halved = ImageResize.lanczos(new HostTensor(stripes, new long[] {1, 1, 32, 32}), 16, 16);
        for (int y = 4; y < 12; y++) {
            for (int x = 4; x < 12; x++) {
                assertThat(halved.data()[y * 16 + x]).isCloseTo(0.5f, offset(0.02f));
            }
        }
    }

    @Test
    void lanczosEnlargementOfADotIsSymmetricAndPeaksAtIt() {
        float[] dot = new float[9 * 9];
        dot[4 * 9 + 4] = 1f;
        HostTensor big = ImageResize.lanczos(new HostTensor(dot, new long[] {1, 1, 9, 9}), 18, 18);
        float[] data = big.data();
        for (int y = 0; y < 18; y++) {
            for (int x = 0; x < 18; x++) {
                assertThat(data[y * 18 + x]).isCloseTo(data[(17 - y) * 18 + (17 - x)], offset(1e-6f));
            }
        }
        // The dot's four output pixels (8..9 × 8..9) carry the peak.
        float peak = data[8 * 18 + 8];
        for (float value : data) {
            assertThat(value).isLessThanOrEqualTo(peak);
        }
    }

    @Test
    void lanczosDoublesATwoPixelRowAsComputedByHand() {
        // Output x's centre is at source (x + 0.5) / 2; each of the two source pixels (centres 0.5 and
        // 1.5) weighs L(d) = sinc(d) · sinc(d / 3) at its distance d, renormalised over the two:
        // L(0.25) = 0.890067, L(0.75) = 0.270190, L(1.25) = −0.132871. So output 0 is
        // (0.25 · 0.890067 + 0.75 · −0.132871) / (0.890067 − 0.132871) = 0.162261 and output 1 is
        // (0.25 · 0.890067 + 0.75 · 0.270190) / (0.890067 + 0.270190) = 0.366435; the others mirror them.
        HostTensor row = image(1, 1, 2, new float[] {0.25f, 0.75f});

        float[] doubled = ImageResize.lanczos(row, 1, 4).data();

        assertThat(doubled).containsExactly(new float[] {0.162261f, 0.366435f, 0.633565f, 0.837739f}, offset(1e-6f));
    }

    @Test
    void bilinearDoublesARowAsTorchInterpolateWithoutClampingLatents() {
        // torch.nn.functional.interpolate([[[[-2, 3]]]], size=(1, 4), mode="bilinear",
        // align_corners=False): sources max((x + 0.5) / 2 − 0.5, 0) = 0, 0.25, 0.75, 1.25 → the last
        // pixel past the edge: −2, −2 + 0.25 · 5, −2 + 0.75 · 5, 3.
        HostTensor row = image(1, 1, 2, new float[] {-2f, 3f});

        assertThat(ImageResize.bilinear(row, 1, 4).data()).containsExactly(-2f, -0.75f, 1.75f, 3f);
    }

    @Test
    void nearestRepeatsEachValueAsTorchInterpolate() {
        // Source floor(x · in / out): doubling repeats each value, 3 → 2 takes sources 0 and 1.
        HostTensor row = image(1, 1, 3, new float[] {-1.5f, 0.5f, 7f});

        assertThat(ImageResize.nearest(row, 2, 6).data())
                .containsExactly(-1.5f, -1.5f, 0.5f, 0.5f, 7f, 7f, -1.5f, -1.5f, 0.5f, 0.5f, 7f, 7f);
        assertThat(ImageResize.nearest(row, 1, 2).data()).containsExactly(-1.5f, 0.5f);
    }

    @Test
    void antialiasedBicubicOf8BitsDoublesATwoPixelRowAsComputedByHand() {
        // Output x samples source (x + 0.5) / 2; the cubic (a = −0.5) taps of pixel centres 0.25
        // away and 0.75 away, renormalised over the two pixels there are: 0.867 and 0.227 → the
        // second output is 255 · 0.2266 / 1.0938 = 52.8, in 14-bit fixed point (8192 + 255 · 3394) >> 14 = 53.
        // The ends overshoot (weights 1.088 and −0.088) and are clamped.
        ImagePixels row = new ImagePixels(new byte[] {0, (byte) 255}, 1, 2, 1);

        ImagePixels doubled = ImageResize.antialiasedBicubic(row, 1, 4);

        assertThat(doubled.height()).isEqualTo(1);
        assertThat(doubled.width()).isEqualTo(4);
        int[] values = new int[4];
        for (int x = 0; x < 4; x++) {
            values[x] = doubled.data()[x] & 0xFF;
        }
        assertThat(values).containsExactly(0, 53, 202, 255);
    }

    @Test
    void antialiasedBicubicLeavesAConstantImageAndAnUnchangedSizeAlone() {
        byte[] grey = new byte[3 * 6 * 5];
        java.util.Arrays.fill(grey, (byte) 77);
        ImagePixels image = new ImagePixels(grey, 6, 5, 3);

        assertThat(ImageResize.antialiasedBicubic(image, 6, 5).data()).containsExactly(grey);
        byte[] shrunk = ImageResize.antialiasedBicubic(image, 2, 3).data();
        assertThat(shrunk).hasSize(3 * 2 * 3).containsOnly((byte) 77);
        assertThatThrownBy(() -> ImageResize.antialiasedBicubic(image, 0, 3))
                .hasMessageContaining("sides must be positive");
    }
}
