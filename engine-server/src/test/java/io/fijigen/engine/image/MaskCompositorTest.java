package io.fijigen.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import io.fijigen.engine.tensor.HostTensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Paste-back without seams: on a 256×192 random image every pixel the feather does not reach comes
 * back bit for bit, the selection is the generated image, and the feather is a convex blend.
 */
class MaskCompositorTest {
    private static final int WIDTH = 256;
    private static final int HEIGHT = 192;
    private static final int PLANE = WIDTH * HEIGHT;
    private static final int FEATHER = 8;

    private final HostTensor original = randomImage(new Random(42));
    /** Differs from the original at every value, by 0.5. */
    private final HostTensor generated = shifted(original);
    /** A triangle selection in the middle. */
    private final HostTensor selection = Masks.fromPolygon(WIDTH, HEIGHT,
            new float[] {90, 170, 120}, new float[] {60, 80, 140});
    /** Grown by 12, then feathered by 8: the feather reaches 8 px beyond the grown selection. */
    private final HostTensor grown = Masks.grow(selection, 12);
    private final HostTensor alpha = Masks.blur(grown, FEATHER);

    private static HostTensor randomImage(Random random) {
        float[] data = new float[3 * PLANE];
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextFloat();
        }
        return new HostTensor(data, new long[] {1, 3, HEIGHT, WIDTH});
    }

    private static HostTensor shifted(HostTensor image) {
        float[] data = image.data().clone();
        for (int i = 0; i < data.length; i++) {
            data[i] = data[i] < 0.5f ? data[i] + 0.5f : data[i] - 0.5f;
        }
        return new HostTensor(data, image.shape().clone());
    }

    /** Whether a pixel of {@code mask} lies closer than {@code reach} to (x, y), in Euclidean distance. */
    private static boolean near(HostTensor mask, int x, int y, int reach) {
        for (int v = Math.max(y - reach, 0); v <= Math.min(y + reach, HEIGHT - 1); v++) {
            for (int u = Math.max(x - reach, 0); u <= Math.min(x + reach, WIDTH - 1); u++) {
                if (mask.data()[v * WIDTH + u] == 1f && Math.hypot(u - x, v - y) < reach) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void pixelsBeyondTheFeatherAreTheOriginalBitForBit() {
        HostTensor pasted = MaskCompositor.pasteBack(original, generated, alpha);
        int untouched = 0;
        for (int at = 0; at < PLANE; at++) {
            int x = at % WIDTH;
            int y = at / WIDTH;
            boolean reached = near(grown, x, y, FEATHER);
            assertThat(alpha.data()[at] == 0f).as("alpha 0 exactly where the feather does not reach (%d, %d)", x, y)
                    .isEqualTo(!reached);
            if (!reached) {
                untouched++;
                for (int c = 0; c < 3; c++) {
                    int i = c * PLANE + at;
                    assertThat(Float.floatToRawIntBits(pasted.data()[i]))
                            .isEqualTo(Float.floatToRawIntBits(original.data()[i]));
                }
            }
        }
        assertThat(untouched).isGreaterThan(PLANE / 2);
    }

    @Test
    void whereAlphaIs0NotEvenANotANumberGetsThrough() {
        float[] poisoned = generated.data().clone();
        for (int c = 0; c < 3; c++) {
            for (int at = 0; at < PLANE; at++) {
                if (alpha.data()[at] == 0f) {
                    poisoned[c * PLANE + at] = Float.NaN;
                }
            }
        }
        HostTensor pasted = MaskCompositor.pasteBack(original, new HostTensor(poisoned, generated.shape()), alpha);
        assertThat(pasted).isEqualTo(MaskCompositor.pasteBack(original, generated, alpha));
    }

    @Test
    void theSelectionIsTheGeneratedImageAndTheFeatherAConvexBlend() {
        HostTensor pasted = MaskCompositor.pasteBack(original, generated, alpha);
        int blended = 0;
        for (int at = 0; at < PLANE; at++) {
            float a = alpha.data()[at];
            if (selection.data()[at] == 1f) {
                assertThat(a).isEqualTo(1f);
            }
            for (int c = 0; c < 3; c++) {
                int i = c * PLANE + at;
                float o = original.data()[i];
                float g = generated.data()[i];
                float out = pasted.data()[i];
                if (a == 1f) {
                    assertThat(out).isEqualTo(g);
                } else if (a > 0f) {
                    blended++;
                    assertThat(out).isBetween(Math.min(o, g), Math.max(o, g));
                    assertThat(out).isCloseTo(o * (1 - a) + g * a, offset(1e-6f));
                }
            }
        }
        assertThat(blended).isGreaterThan(0);
    }

    @Test
    void aRegionInTheMiddleComposesLikeTheWholeImage() {
        CropRegion region = CropRegion.around(alpha, 16);
        assertThat(region.x()).isPositive();
        assertThat(region.x() + region.width()).isLessThan(WIDTH);
        HostTensor pastedRegion = MaskCompositor.pasteBack(original, region.crop(generated), region, alpha);
        // The region holds all of alpha > 0, so the result is the whole-image paste-back's, bit for bit.
        assertThat(pastedRegion).isEqualTo(MaskCompositor.pasteBack(original, generated, alpha));
    }

    @Test
    void outsideTheRegionTheOriginalStaysEvenWhereAlphaIsNot0() {
        // A region cutting the feather in half: its left half keeps the original regardless of alpha.
        CropRegion whole = CropRegion.around(alpha, 0);
        CropRegion right = new CropRegion(whole.x() + whole.width() / 2, whole.y(), whole.width() - whole.width() / 2,
                whole.height());
        HostTensor pasted = MaskCompositor.pasteBack(original, right.crop(generated), right, alpha);
        int y = whole.y() + whole.height() / 2;
        int feathered = 0;
        for (int x = 0; x < right.x(); x++) {
            feathered += alpha.data()[y * WIDTH + x] > 0f ? 1 : 0;
            assertThat(pasted.data()[y * WIDTH + x]).isEqualTo(original.data()[y * WIDTH + x]);
        }
        assertThat(feathered).isPositive();
        int repainted = 0;
        for (int x = right.x(); x < right.x() + right.width(); x++) {
            if (alpha.data()[y * WIDTH + x] == 1f) {
                repainted++;
                assertThat(pasted.data()[y * WIDTH + x]).isEqualTo(generated.data()[y * WIDTH + x]);
            }
        }
        assertThat(repainted).isPositive();
    }

    @Test
    void sizeMismatchesNameBothSizes() {
        HostTensor smallMask = new HostTensor(new float[100 * 80], new long[] {1, 1, 80, 100});
        HostTensor image = new HostTensor(new float[3 * 128 * 96], new long[] {1, 3, 96, 128});
        assertThatThrownBy(() -> MaskCompositor.pasteBack(image, image, smallMask))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mask is 100×80 but the image is 128×96");

        CropRegion region = new CropRegion(10, 10, 32, 24);
        HostTensor wrong = new HostTensor(new float[3 * 30 * 20], new long[] {1, 3, 20, 30});
        assertThatThrownBy(() -> MaskCompositor.pasteBack(original, wrong, region, alpha))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("generated image is 30×20 but the region is 32×24");
        assertThatThrownBy(() -> MaskCompositor.pasteBack(original, wrong, alpha))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("generated image is 30×20 but the original is 256×192");

        HostTensor grey = new HostTensor(new float[32 * 24], new long[] {1, 1, 24, 32});
        assertThatThrownBy(() -> MaskCompositor.pasteBack(original, grey, region, alpha))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 channels but the original has 3");

        CropRegion outside = new CropRegion(240, 0, 32, 24);
        HostTensor fits = new HostTensor(new float[3 * 32 * 24], new long[] {1, 3, 24, 32});
        assertThatThrownBy(() -> MaskCompositor.pasteBack(original, fits, outside, alpha))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not fit").hasMessageContaining("256×192");
    }
}
