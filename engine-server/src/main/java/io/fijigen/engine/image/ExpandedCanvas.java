package io.fijigen.engine.image;

import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.tensor.ImageShape;
import java.util.SplittableRandom;

/**
 * An image on a larger canvas (outpainting): the image's pixels at (left, top), bit for bit, and
 * the new border filled by a {@link BorderFill}.
 */
public final class ExpandedCanvas {
    /**
     * The blur fill's box radius and passes: three passes of a 33-pixel box are close to a Gaussian
     * of σ ≈ 16 (σ² = passes · ((2r + 1)² − 1) / 12), wide enough to wash out the streaks that edge
     * replication draws across a border of the usual 32 to 128 pixels.
     */
    private static final int BLUR_RADIUS = 16;
    private static final int BLUR_PASSES = 3;

    private ExpandedCanvas() {}

    /**
     * {@code image} [N, C, H, W] on a canvas [N, C, H + top + bottom, W + left + right].
     *
     * @param seed the noise fill's generator seed (unused by the other fills)
     */
    public static HostTensor expand(HostTensor image, int left, int top, int right, int bottom, BorderFill fill,
            long seed) {
        if (left < 0 || top < 0 || right < 0 || bottom < 0) {
            throw new IllegalArgumentException("borders must not be negative; got " + left + ", " + top + ", " + right
                    + ", " + bottom);
        }
        ImageShape shape = ImageShape.of(image, "the image");
        int width = shape.width() + left + right;
        int height = shape.height() + top + bottom;
        int planes = shape.batch() * shape.channels();
        float[] source = image.data();
        float[] canvas = new float[planes * width * height];
        SplittableRandom random = new SplittableRandom(seed);
        for (int plane = 0; plane < planes; plane++) {
            for (int y = 0; y < height; y++) {
                int row = Math.min(Math.max(y - top, 0), shape.height() - 1);
                for (int x = 0; x < width; x++) {
                    int column = Math.min(Math.max(x - left, 0), shape.width() - 1);
                    boolean inside = row == y - top && column == x - left;
                    canvas[(plane * height + y) * width + x] = fill == BorderFill.NOISE && !inside
                            ? (float) random.nextDouble()
                            : source[(plane * shape.height() + row) * shape.width() + column];
                }
            }
            if (fill == BorderFill.BLUR) {
                blurBorder(canvas, plane, width, height, source, shape, left, top);
            }
        }
        return new HostTensor(canvas, ImageShape.nchw(shape.batch(), shape.channels(), height, width));
    }

    /** Box-blurs one plane of the canvas, then puts the image's own pixels back. */
    private static void blurBorder(float[] canvas, int plane, int width, int height, float[] source, ImageShape shape,
            int left, int top) {
        float[] values = new float[width * height];
        System.arraycopy(canvas, plane * values.length, values, 0, values.length);
        for (int pass = 0; pass < BLUR_PASSES; pass++) {
            values = boxBlur(values, width, height, 1, width);
            values = boxBlur(values, height, width, width, 1);
        }
        for (int y = 0; y < shape.height(); y++) {
            System.arraycopy(source, (plane * shape.height() + y) * shape.width(), values, (y + top) * width + left,
                    shape.width());
        }
        System.arraycopy(values, 0, canvas, plane * values.length, values.length);
    }

    /**
     * A box blur along one axis ({@code length} values {@code step} apart, {@code lines} of them
     * {@code lineStep} apart), the line's ends repeated beyond it; sums in double, so the running
     * sum does not drift over a 2048-pixel line.
     */
    private static float[] boxBlur(float[] values, int length, int lines, int step, int lineStep) {
        float[] blurred = new float[values.length];
        for (int line = 0; line < lines; line++) {
            int start = line * lineStep;
            double sum = 0;
            for (int i = -BLUR_RADIUS; i <= BLUR_RADIUS; i++) {
                sum += values[start + clamp(i, length) * step];
            }
            for (int i = 0; i < length; i++) {
                blurred[start + i * step] = (float) (sum / (2 * BLUR_RADIUS + 1));
                sum += values[start + clamp(i + BLUR_RADIUS + 1, length) * step]
                        - values[start + clamp(i - BLUR_RADIUS, length) * step];
            }
        }
        return blurred;
    }

    private static int clamp(int index, int length) {
        return Math.min(Math.max(index, 0), length - 1);
    }

    /**
     * The mask [1, 1, height, width] that is 1 outside the rectangle from (x0, y0) to (x1, y1),
     * exclusive, and 0 inside it: the pixels to paint around the part of the image that is kept.
     */
    public static HostTensor maskOutside(int width, int height, int x0, int y0, int x1, int y1) {
        float[] mask = new float[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean kept = x >= x0 && x < x1 && y >= y0 && y < y1;
                mask[y * width + x] = kept ? 0f : 1f;
            }
        }
        return new HostTensor(mask, ImageShape.nchw(1, 1, height, width));
    }
}
