package io.fijigen.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import io.fijigen.engine.tensor.HostTensor;
import java.awt.geom.Path2D;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Masks from images and polygons, grown, feathered and put on the latent grid, against hand-counted pixels. */
class MasksTest {

    static HostTensor mask(int height, int width) {
        return new HostTensor(new float[height * width], new long[] {1, 1, height, width});
    }

    static void set(HostTensor mask, int x, int y, float value) {
        mask.data()[y * (int) mask.dim(3) + x] = value;
    }

    static float at(HostTensor mask, int x, int y) {
        return mask.data()[y * (int) mask.dim(3) + x];
    }

    static int count(HostTensor mask) {
        int count = 0;
        for (float value : mask.data()) {
            count += value == 1f ? 1 : 0;
        }
        return count;
    }

    /** A filled rectangle of 1s, corners inclusive. */
    static HostTensor rectangle(int height, int width, int x0, int y0, int x1, int y1) {
        HostTensor mask = mask(height, width);
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                set(mask, x, y, 1f);
            }
        }
        return mask;
    }

    @Test
    void fromImageCountsAPixelWithOnlyBlue() {
        // [1, 3, 2, 2]: pixel (1, 0) is pure blue, pixel (0, 1) pure red, the rest black.
        float[] rgb = new float[12];
        rgb[8 + 1] = 0.2f;
        rgb[2] = 1f;
        HostTensor mask = Masks.fromImage(new HostTensor(rgb, new long[] {1, 3, 2, 2}));
        assertThat(mask.shape()).containsExactly(1, 1, 2, 2);
        assertThat(mask.data()).containsExactly(0f, 1f, 1f, 0f);
    }

    @Test
    void rectangleCoversThePixelsWhoseCentresItContains() {
        // x from 1 to 4 contains centres 1.5, 2.5, 3.5; y from 1 to 3 contains 1.5, 2.5: 3 × 2 pixels.
        HostTensor mask = Masks.fromPolygon(6, 5, new float[] {1, 4, 4, 1}, new float[] {1, 1, 3, 3});
        assertThat(mask.shape()).containsExactly(1, 1, 5, 6);
        assertThat(count(mask)).isEqualTo(6);
        for (int y = 1; y <= 2; y++) {
            for (int x = 1; x <= 3; x++) {
                assertThat(at(mask, x, y)).isEqualTo(1f);
            }
        }
    }

    @Test
    void triangleCoversTheCentresBelowItsDiagonal() {
        // Triangle (0,0) (4,0) (0,4): centre (x+.5, y+.5) is inside when x + y + 1 < 4. Centres with
        // x + y = 3 lie on the diagonal, which Path2D counts outside (the inside is up and left of it):
        // rows hold 3, 2 and 1 pixels.
        HostTensor mask = Masks.fromPolygon(5, 5, new float[] {0, 4, 0}, new float[] {0, 0, 4});
        assertThat(count(mask)).isEqualTo(6);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 5; x++) {
                assertThat(at(mask, x, y)).as("(%d, %d)", x, y).isEqualTo(x + y <= 2 ? 1f : 0f);
            }
        }
    }

    @Test
    void polygonsAgreeWithPath2dPixelForPixel() {
        // Random, often self-crossing polygons whose vertices sit on half-pixel steps, so edges and
        // vertices land exactly on pixel centres: the cases where the row-wise fill could disagree.
        Random random = new Random(7);
        for (int trial = 0; trial < 300; trial++) {
            int vertices = 3 + random.nextInt(10);
            float[] xs = new float[vertices];
            float[] ys = new float[vertices];
            Path2D.Float path = new Path2D.Float(Path2D.WIND_EVEN_ODD);
            for (int i = 0; i < vertices; i++) {
                xs[i] = (random.nextInt(64) - 4) / 2f;
                ys[i] = (random.nextInt(56) - 4) / 2f;
                if (i == 0) {
                    path.moveTo(xs[i], ys[i]);
                } else {
                    path.lineTo(xs[i], ys[i]);
                }
            }
            path.closePath();
            HostTensor mask = Masks.fromPolygon(26, 22, xs, ys);
            for (int y = 0; y < 22; y++) {
                for (int x = 0; x < 26; x++) {
                    assertThat(at(mask, x, y)).as("trial %d, (%d, %d)", trial, x, y)
                            .isEqualTo(path.contains(x + 0.5, y + 0.5) ? 1f : 0f);
                }
            }
        }
    }

    @Test
    void badPolygonsAreRefused() {
        assertThatThrownBy(() -> Masks.fromPolygon(4, 4, new float[] {0, 1, 2}, new float[] {0, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 x and 2 y");
        assertThatThrownBy(() -> Masks.fromPolygon(4, 4, new float[] {0, 1}, new float[] {0, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 3 vertices");
        assertThatThrownBy(() -> Masks.fromPolygon(4, 4, new float[] {0, 1, Float.NaN}, new float[] {0, 1, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not finite");
    }

    @Test
    void growingOnePixelByTwoGivesTheThirteenPixelDisc() {
        HostTensor single = mask(9, 9);
        set(single, 4, 4, 1f);
        HostTensor grown = Masks.grow(single, 2);
        assertThat(count(grown)).isEqualTo(13);
        for (int y = 0; y < 9; y++) {
            for (int x = 0; x < 9; x++) {
                int dx = x - 4;
                int dy = y - 4;
                assertThat(at(grown, x, y)).as("(%d, %d)", x, y).isEqualTo(dx * dx + dy * dy <= 4 ? 1f : 0f);
            }
        }
    }

    @Test
    void growingMatchesTheDiscDefinitionOnScatteredPixels() {
        Random random = new Random(3);
        HostTensor scattered = mask(30, 41);
        for (int i = 0; i < 12; i++) {
            set(scattered, random.nextInt(41), random.nextInt(30), 1f);
        }
        for (int radius : new int[] {1, 3, 5, 8, 50}) {
            HostTensor grown = Masks.grow(scattered, radius);
            for (int y = 0; y < 30; y++) {
                for (int x = 0; x < 41; x++) {
                    assertThat(at(grown, x, y)).as("radius %d at (%d, %d)", radius, x, y)
                            .isEqualTo(withinDistance(scattered, x, y, radius) ? 1f : 0f);
                }
            }
        }
    }

    private static boolean withinDistance(HostTensor mask, int x, int y, int radius) {
        for (int v = 0; v < mask.dim(2); v++) {
            for (int u = 0; u < mask.dim(3); u++) {
                if (at(mask, u, v) == 1f && (u - x) * (u - x) + (v - y) * (v - y) <= radius * radius) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void growingBinarisesAtOneHalf() {
        HostTensor soft = mask(1, 5);
        set(soft, 0, 0, 0.5f);
        set(soft, 4, 0, 0.49f);
        assertThat(Masks.grow(soft, 1).data()).containsExactly(1f, 1f, 0f, 0f, 0f);
    }

    @Test
    void zeroReturnsAnEqualCopyAndNegativeIsRefused() {
        HostTensor soft = mask(2, 2);
        set(soft, 1, 1, 0.3f);
        for (HostTensor same : new HostTensor[] {Masks.grow(soft, 0), Masks.blur(soft, 0)}) {
            assertThat(same).isEqualTo(soft);
            assertThat(same.data()).isNotSameAs(soft.data());
        }
        assertThatThrownBy(() -> Masks.grow(soft, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> Masks.blur(soft, -2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    }

    @Test
    void blurIsZeroBeyondItsReachOneDeepInsideAndBetweenAtTheEdge() {
        // A 16×16 square (12..27) in a 40×40 image, feathered by 4.
        HostTensor alpha = Masks.blur(rectangle(40, 40, 12, 12, 27, 27), 4);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 40; x++) {
                // Euclidean distance from an outside pixel to the square, and from an inside pixel to
                // the nearest outside pixel.
                double toSquare = Math.hypot(Math.max(Math.max(12 - x, x - 27), 0), Math.max(Math.max(12 - y, y - 27), 0));
                int toOutside = 1 + Math.min(Math.min(x - 12, 27 - x), Math.min(y - 12, 27 - y));
                float a = at(alpha, x, y);
                if (toSquare >= 4) {
                    assertThat(a).as("(%d, %d)", x, y).isZero();
                } else if (toOutside >= 4) {
                    assertThat(a).as("(%d, %d)", x, y).isEqualTo(1f);
                } else {
                    assertThat(a).as("(%d, %d)", x, y).isStrictlyBetween(0f, 1f);
                }
            }
        }
        // Round, not square: 3 px out along x is feathered, (3, 3) diagonally (4.2 px away) is not.
        assertThat(at(alpha, 30, 20)).isPositive();
        assertThat(at(alpha, 30, 30)).isZero();
        // Just outside and just inside the edge mirror each other: smoothstep at ∓1 of ±4.
        assertThat(at(alpha, 28, 20) + at(alpha, 27, 20)).isCloseTo(1f, offset(1e-6f));
    }

    @Test
    void blurOfAMirrorSymmetricMaskIsMirrorSymmetricBitForBit() {
        HostTensor alpha = Masks.blur(rectangle(40, 40, 12, 12, 27, 27), 6);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 40; x++) {
                float a = at(alpha, x, y);
                assertThat(at(alpha, 39 - x, y)).isEqualTo(a);
                assertThat(at(alpha, x, 39 - y)).isEqualTo(a);
                assertThat(at(alpha, y, x)).isEqualTo(a);
            }
        }
    }

    @Test
    void blurOfAMaskTouchingTheBorderStaysOneAtTheBorder() {
        // The left ten columns of a 30×20 image: distances are measured inside the image, so the
        // image's left edge is no mask edge; columns 0..3 (6 or more from the first unmasked column)
        // stay exactly 1.
        HostTensor alpha = Masks.blur(rectangle(20, 30, 0, 0, 9, 19), 6);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x <= 4; x++) {
                assertThat(at(alpha, x, y)).as("(%d, %d)", x, y).isEqualTo(1f);
            }
            assertThat(at(alpha, 5, y)).isLessThan(1f);
            assertThat(at(alpha, 15, y)).isZero();
        }
    }

    @Test
    void emptyAndFullAreJudgedAtOneHalf() {
        HostTensor faint = mask(3, 3);
        Arrays.fill(faint.data(), 0.49f);
        assertThat(Masks.isEmpty(faint)).isTrue();
        assertThat(Masks.isFull(faint)).isFalse();

        HostTensor half = mask(3, 3);
        Arrays.fill(half.data(), 0.5f);
        assertThat(Masks.isEmpty(half)).isFalse();
        assertThat(Masks.isFull(half)).isTrue();

        set(half, 2, 2, 0f);
        assertThat(Masks.isEmpty(half)).isFalse();
        assertThat(Masks.isFull(half)).isFalse();
    }

    @Test
    void latentGridSamplesTheNearestPixelAtEightTimesItsIndex() {
        Random random = new Random(11);
        HostTensor fine = mask(128, 128);
        for (int i = 0; i < fine.data().length; i++) {
            fine.data()[i] = random.nextFloat();
        }
        HostTensor grid = Masks.resizeNearest(fine, 16, 16);
        assertThat(grid.shape()).containsExactly(1, 1, 16, 16);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                // 128 / 16 = 8: source (8x, 8y), then binarised at 0.5.
                assertThat(at(grid, x, y)).isEqualTo(at(fine, 8 * x, 8 * y) >= 0.5f ? 1f : 0f);
            }
        }
    }

    @Test
    void latentGridUsesTorchsFloorForUnevenRatios() {
        // 5 → 3: scale 5/3, sources floor(0), floor(1.67) = 1, floor(3.33) = 3.
        HostTensor row = mask(1, 5);
        row.data()[0] = 1f;
        row.data()[3] = 0.5f;
        row.data()[1] = 0.2f;
        assertThat(Masks.resizeNearest(row, 1, 3).data()).containsExactly(1f, 0f, 1f);
    }

    @Test
    void masksMustBeSingleChannel() {
        HostTensor rgb = new HostTensor(new float[12], new long[] {1, 3, 2, 2});
        assertThatThrownBy(() -> Masks.grow(rgb, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[1, 1, H, W]").hasMessageContaining("[1, 3, 2, 2]");
    }
}
