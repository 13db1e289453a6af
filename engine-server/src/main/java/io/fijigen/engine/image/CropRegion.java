package io.fijigen.engine.image;

import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.tensor.ImageShape;

/**
 * A rectangle of an image in pixels, for "only masked" inpainting: the region around the mask is
 * cut out, generated at the model's resolution and pasted back, so a small edit on a large image
 * gets the model's full detail.
 */
public record CropRegion(int x, int y, int width, int height) {

    public CropRegion {
        if (x < 0 || y < 0 || width < 1 || height < 1) {
            throw new IllegalArgumentException("a region needs a non-negative corner and a positive size; got "
                    + width + "×" + height + " at (" + x + ", " + y + ")");
        }
    }

    /**
     * The bounding box of every pixel with a value > 0 (so a feathered mask's whole feather is
     * inside), grown by {@code padding} on every side and clamped to the image.
     *
     * @throws IllegalArgumentException when the mask has no value > 0 or the padding is negative
     */
    public static CropRegion around(HostTensor mask, int padding) {
        ImageShape shape = ImageShape.ofMask(mask);
        if (padding < 0) {
            throw new IllegalArgumentException("padding must not be negative; got " + padding);
        }
        int width = shape.width();
        int left = width;
        int right = -1;
        int top = -1;
        int bottom = -1;
        float[] values = mask.data();
        for (int row = 0; row < shape.height(); row++) {
            for (int column = 0; column < width; column++) {
                if (values[row * width + column] > 0f) {
                    left = Math.min(left, column);
                    right = Math.max(right, column);
                    top = top < 0 ? row : top;
                    bottom = row;
                }
            }
        }
        if (right < 0) {
            throw new IllegalArgumentException("the mask is empty: there is no region to inpaint");
        }
        int x0 = Math.max(left - padding, 0);
        int y0 = Math.max(top - padding, 0);
        int x1 = Math.min(right + padding, width - 1);
        int y1 = Math.min(bottom + padding, shape.height() - 1);
        return new CropRegion(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }

    /** This region of an NCHW tensor (any N and C). */
    public HostTensor crop(HostTensor nchw) {
        ImageShape shape = ImageShape.of(nchw, "the image");
        requireInside(shape);
        int planes = shape.batch() * shape.channels();
        float[] source = nchw.data();
        float[] cropped = new float[planes * width * height];
        for (int plane = 0; plane < planes; plane++) {
            for (int row = 0; row < height; row++) {
                System.arraycopy(source, plane * shape.plane() + (y + row) * shape.width() + x,
                        cropped, (plane * height + row) * width, width);
            }
        }
        return new HostTensor(cropped, ImageShape.nchw(shape.batch(), shape.channels(), height, width));
    }

    /**
     * The size to generate this region at: its aspect kept, scaled to the largest size whose area
     * fits the pixel budget {@code targetWidth × targetHeight} (what the user chose as the size their
     * machine generates), each side rounded down to a multiple of {@code multiple} and at least
     * {@code multiple}. Rounding down keeps the area within the budget (unless the minimum forces
     * it) at the cost of up to one multiple of aspect error per side. Sides are also kept within
     * {@link ImageFiles#MAX_SIDE}, so a long thin region does not become an impossible image.
     *
     * <p>For example a 100×50 region with a 128×128 budget scales by √(16384 / 5000) ≈ 1.81 to
     * 181.0×90.5, which rounds down to 176×88.
     *
     * @return {width, height}
     */
    public int[] generationSize(int targetWidth, int targetHeight, int multiple) {
        if (targetWidth < 1 || targetHeight < 1 || multiple < 1) {
            throw new IllegalArgumentException("the target size and multiple must be positive; got "
                    + targetWidth + "×" + targetHeight + " in multiples of " + multiple);
        }
        long budget = (long) targetWidth * targetHeight;
        long area = (long) width * height;
        int longer = Math.max(width, height);
        return new int[] {
            scaledSide(width, budget, area, longer, multiple), scaledSide(height, budget, area, longer, multiple)
        };
    }

    /**
     * floor(side · min(√(budget / area), MAX_SIDE / longer)) in whole multiples, in integers: for
     * x ≥ 0, floor(√x) = floor(√floor(x)), so no square root is ever rounded across a multiple.
     */
    private static int scaledSide(int side, long budget, long area, int longer, int multiple) {
        long byArea = isqrt((long) side * side * budget / area);
        long bySide = (long) side * ImageFiles.MAX_SIDE / longer;
        long multiples = Math.min(byArea, bySide) / multiple;
        return (int) Math.max(multiples, 1) * multiple;
    }

    private static long isqrt(long value) {
        long root = (long) Math.sqrt((double) value);
        while (root * root > value) {
            root--;
        }
        while ((root + 1) * (root + 1) <= value) {
            root++;
        }
        return root;
    }

    /** Fails unless this region lies inside an image of {@code shape}. */
    void requireInside(ImageShape shape) {
        if (x + width > shape.width() || y + height > shape.height()) {
            throw new IllegalArgumentException("the region " + width + "×" + height + " at (" + x + ", " + y
                    + ") does not fit in the image, which is " + shape.size());
        }
    }
}
