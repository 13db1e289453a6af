package io.fijigen.engine.image;

import io.fijigen.engine.pipeline.HostTensor;

/**
 * Inpainting masks: [1, 1, H, W] float tensors, 1 where the image is repainted. Binary masks come
 * from images and polygon selections, grow by a disc and are feathered into the alpha that {@link
 * MaskCompositor} blends with; the feather has a hard outer edge so that everything beyond it is
 * left bit for bit as it was.
 */
public final class Masks {
    private Masks() {}

    /** A mask from an image: a pixel is repainted (1) where any channel is non-zero, else 0. [1,C,H,W] → [1,1,H,W]. */
    public static HostTensor fromImage(HostTensor image) {
        ImageShape shape = ImageShape.ofImage(image, "a mask image");
        int plane = shape.plane();
        float[] source = image.data();
        float[] mask = new float[plane];
        for (int channel = 0; channel < shape.channels(); channel++) {
            for (int at = 0; at < plane; at++) {
                if (source[channel * plane + at] != 0f) {
                    mask[at] = 1f;
                }
            }
        }
        return mask(mask, shape.height(), shape.width());
    }

    /**
     * A polygon selection (pixel coordinates, as ImageJ polygon ROIs give them) filled on a
     * width×height grid, 1 inside: a pixel is inside when its centre (x+0.5, y+0.5) is inside the
     * polygon as {@code java.awt.geom.Path2D} with WIND_EVEN_ODD decides it. The polygon closes
     * itself; a self-crossing one has holes where it overlaps itself an even number of times.
     */
    public static HostTensor fromPolygon(int width, int height, float[] xs, float[] ys) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("a mask needs a positive size; got " + width + "×" + height);
        }
        if (xs.length != ys.length) {
            throw new IllegalArgumentException("a polygon needs as many y as x coordinates; got "
                    + xs.length + " x and " + ys.length + " y");
        }
        if (xs.length < 3) {
            throw new IllegalArgumentException("a polygon needs at least 3 vertices; got " + xs.length);
        }
        for (int i = 0; i < xs.length; i++) {
            if (!Float.isFinite(xs[i]) || !Float.isFinite(ys[i])) {
                throw new IllegalArgumentException("polygon vertex " + i + " is not finite: (" + xs[i] + ", " + ys[i] + ")");
            }
        }
        return mask(PolygonFill.fill(width, height, xs, ys), height, width);
    }

    /**
     * Dilation by a Euclidean disc: a pixel becomes 1 when a pixel of the mask (binarised at 0.5)
     * lies within distance ≤ {@code pixels}. The result is binary; 0 returns an equal copy.
     */
    public static HostTensor grow(HostTensor mask, int pixels) {
        ImageShape shape = ImageShape.ofMask(mask);
        requireRadius(pixels, "grow");
        if (pixels == 0) {
            return copy(mask);
        }
        float[] values = mask.data();
        boolean[] set = new boolean[values.length];
        for (int i = 0; i < values.length; i++) {
            set[i] = values[i] >= 0.5f;
        }
        int[] squared = DistanceTransform.squared(set, shape.height(), shape.width());
        long reach = (long) pixels * pixels;
        float[] grown = new float[values.length];
        for (int i = 0; i < grown.length; i++) {
            if (squared[i] <= reach) {
                grown[i] = 1f;
            }
        }
        return mask(grown, shape.height(), shape.width());
    }

    /**
     * Feather: a separable Gaussian with sigma = pixels / 3 truncated at {@code pixels} (kernel
     * half-width = pixels, weights renormalised). The kernel's support is a square, so distances
     * here are Chebyshev (the larger of |dx| and |dy|): alpha is exactly 0 at every pixel more than
     * {@code pixels} from the mask, hence at every pixel more than pixels · √2 away in Euclidean
     * terms, and exactly 1 at every pixel more than {@code pixels} from the outside of the mask.
     * Clamp-to-edge sampling, so a mask running off the image stays 1 at the border. 0 returns an
     * equal copy.
     *
     * <p>To keep the selection itself fully repainted, grow it first by ⌈pixels · √2⌉, the reach
     * of the kernel's corners.
     */
    public static HostTensor blur(HostTensor mask, int pixels) {
        ImageShape shape = ImageShape.ofMask(mask);
        requireRadius(pixels, "blur");
        if (pixels == 0) {
            return copy(mask);
        }
        double[] weights = gaussian(pixels);
        int height = shape.height();
        int width = shape.width();
        return mask(blurColumns(blurRows(mask.data(), height, width, weights), height, width, weights), height, width);
    }

    /** Whether no value is ≥ 0.5: nothing to repaint. */
    public static boolean isEmpty(HostTensor mask) {
        ImageShape.ofMask(mask);
        for (float value : mask.data()) {
            if (value >= 0.5f) {
                return false;
            }
        }
        return true;
    }

    /** Whether every value is ≥ 0.5: the whole image is repainted. */
    public static boolean isFull(HostTensor mask) {
        ImageShape.ofMask(mask);
        for (float value : mask.data()) {
            if (value < 0.5f) {
                return false;
            }
        }
        return true;
    }

    /**
     * The mask on the latent grid, the reference's rule: torch's {@code F.interpolate(mode="nearest")}
     * (source index floor(dst · in/out), the scale and product in float as torch computes them), then
     * binarised at 0.5.
     */
    public static HostTensor toLatentGrid(HostTensor mask, int latentHeight, int latentWidth) {
        ImageShape shape = ImageShape.ofMask(mask);
        if (latentHeight < 1 || latentWidth < 1) {
            throw new IllegalArgumentException("a latent grid needs a positive size; got " + latentWidth + "×" + latentHeight);
        }
        int[] rows = nearest(shape.height(), latentHeight);
        int[] columns = nearest(shape.width(), latentWidth);
        float[] source = mask.data();
        float[] grid = new float[latentHeight * latentWidth];
        for (int y = 0; y < latentHeight; y++) {
            for (int x = 0; x < latentWidth; x++) {
                grid[y * latentWidth + x] = source[rows[y] * shape.width() + columns[x]] >= 0.5f ? 1f : 0f;
            }
        }
        return mask(grid, latentHeight, latentWidth);
    }

    /** torch's nearest_idx: min(floorf(dst · (float) in / out), in − 1). */
    private static int[] nearest(int in, int out) {
        float scale = (float) in / out;
        int[] index = new int[out];
        for (int dst = 0; dst < out; dst++) {
            index[dst] = Math.min((int) Math.floor(dst * scale), in - 1);
        }
        return index;
    }

    /** Weights for offsets 0..radius of a Gaussian with sigma = radius / 3, summing to 1 over −radius..radius. */
    private static double[] gaussian(int radius) {
        double sigma = radius / 3.0;
        double[] weights = new double[radius + 1];
        double total = 0;
        for (int k = 0; k <= radius; k++) {
            weights[k] = Math.exp(-(double) k * k / (2 * sigma * sigma));
            total += k == 0 ? weights[k] : 2 * weights[k];
        }
        for (int k = 0; k <= radius; k++) {
            weights[k] /= total;
        }
        return weights;
    }

    /**
     * The first pass of the separable blur, along rows, clamped at the edges. In both passes the
     * mirrored taps are added before weighting, so a mirrored mask gives a mirrored alpha bit for
     * bit; an all-zero window sums to exactly 0 and an all-one window to 1 within a few double ulps,
     * which rounds to exactly 1f.
     */
    private static float[] blurRows(float[] source, int height, int width, double[] weights) {
        float[] target = new float[height * width];
        int last = width - 1;
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int x = 0; x < width; x++) {
                double sum = weights[0] * source[row + x];
                for (int k = 1; k < weights.length; k++) {
                    sum += weights[k] * ((double) source[row + Math.max(x - k, 0)] + source[row + Math.min(x + k, last)]);
                }
                target[row + x] = (float) sum;
            }
        }
        return target;
    }

    /** The second pass, along columns, a whole row of sums at a time so that memory is read in order. */
    private static float[] blurColumns(float[] source, int height, int width, double[] weights) {
        float[] target = new float[height * width];
        double[] sum = new double[width];
        int last = height - 1;
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int x = 0; x < width; x++) {
                sum[x] = weights[0] * source[row + x];
            }
            for (int k = 1; k < weights.length; k++) {
                int above = Math.max(y - k, 0) * width;
                int below = Math.min(y + k, last) * width;
                for (int x = 0; x < width; x++) {
                    sum[x] += weights[k] * ((double) source[above + x] + source[below + x]);
                }
            }
            for (int x = 0; x < width; x++) {
                target[row + x] = (float) sum[x];
            }
        }
        return target;
    }

    private static void requireRadius(int pixels, String operation) {
        if (pixels < 0) {
            throw new IllegalArgumentException("cannot " + operation + " a mask by a negative number of pixels: " + pixels);
        }
    }

    private static HostTensor copy(HostTensor mask) {
        return new HostTensor(mask.data().clone(), mask.shape().clone());
    }

    private static HostTensor mask(float[] plane, int height, int width) {
        return new HostTensor(plane, ImageShape.nchw(1, 1, height, width));
    }
}
