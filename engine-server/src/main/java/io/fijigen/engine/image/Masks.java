package io.fijigen.engine.image;

import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.tensor.ImageShape;

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
     * A soft mask from an image as decoded ([1, 3, H, W], grey replicated): a grey pixel's level
     * v/255 as it is, a colour pixel's luma (0.299 R + 0.587 G + 0.114 B). [1, 3, H, W] → [1, 1, H, W].
     */
    public static HostTensor greyLevels(HostTensor image) {
        ImageShape shape = ImageShape.ofImage(image, "a region mask");
        int plane = shape.plane();
        float[] rgb = image.data();
        float[] mask = new float[plane];
        for (int at = 0; at < plane; at++) {
            float red = rgb[at];
            float green = shape.channels() < 3 ? red : rgb[plane + at];
            float blue = shape.channels() < 3 ? red : rgb[2 * plane + at];
            // Grey exactly as read: the weighted sum of three equal values need not round back to them.
            mask[at] = red == green && green == blue ? red : (float) (0.299 * red + 0.587 * green + 0.114 * blue);
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
     * Feather: alpha falls smoothly from 1 to 0 across the mask's edge as a function of the
     * Euclidean distance to it — a smoothstep over signed distances −pixels..pixels (distance to the
     * nearest unmasked pixel inside, to the nearest masked pixel outside). So alpha is exactly 0 at
     * every pixel farther than {@code pixels} from the mask, in every direction (a separable blur's
     * square support would reach √2 further along diagonals, into pixels the editor promises to
     * keep), and exactly 1 farther than {@code pixels} inside it. Distances are measured within the
     * image, so a mask running off the image stays 1 at the border. 0 returns an equal copy.
     */
    public static HostTensor blur(HostTensor mask, int pixels) {
        ImageShape shape = ImageShape.ofMask(mask);
        requireRadius(pixels, "blur");
        if (pixels == 0) {
            return copy(mask);
        }
        float[] values = mask.data();
        boolean[] inside = new boolean[values.length];
        boolean[] outside = new boolean[values.length];
        for (int i = 0; i < values.length; i++) {
            inside[i] = values[i] >= 0.5f;
            outside[i] = !inside[i];
        }
        int[] toMask = DistanceTransform.squared(inside, shape.height(), shape.width());
        int[] toOutside = DistanceTransform.squared(outside, shape.height(), shape.width());
        float[] alpha = new float[values.length];
        for (int i = 0; i < alpha.length; i++) {
            int squared = inside[i] ? toOutside[i] : toMask[i];
            double distance = squared == DistanceTransform.NONE ? Double.POSITIVE_INFINITY : Math.sqrt(squared);
            alpha[i] = (float) feather(inside[i] ? -distance : distance, pixels);
        }
        return mask(alpha, shape.height(), shape.width());
    }

    /** 1 − smoothstep(−radius, radius, signed distance): exactly 1 at ≤ −radius, exactly 0 at ≥ radius. */
    private static double feather(double signedDistance, int radius) {
        double t = Math.min(1, Math.max(0, (signedDistance + radius) / (2.0 * radius)));
        return 1 - t * t * (3 - 2 * t);
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
     * The mask at another size by the reference's rule for masks (it takes them to the latent grid
     * so): torch's {@code F.interpolate(mode="nearest")} (source index floor(dst · in/out), the scale
     * and product in float as torch computes them), then binarised at 0.5.
     */
    public static HostTensor resizeNearest(HostTensor mask, int height, int width) {
        ImageShape shape = ImageShape.ofMask(mask);
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("a mask needs a positive size; got " + width + "×" + height);
        }
        int[] rows = nearest(shape.height(), height);
        int[] columns = nearest(shape.width(), width);
        float[] source = mask.data();
        float[] grid = new float[height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                grid[y * width + x] = source[rows[y] * shape.width() + columns[x]] >= 0.5f ? 1f : 0f;
            }
        }
        return mask(grid, height, width);
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
