package io.fijigen.engine.tensor;

import io.fijigen.engine.tensor.HostTensor;
import java.util.Arrays;

/**
 * The dimensions of an NCHW tensor, checked once, so that the mask and compositing code can index
 * planes with ints and report mismatches in the words a user knows ("width×height").
 */
public record ImageShape(int batch, int channels, int height, int width) {

    /** The shape of {@code tensor}, which must be [N, C, H, W]; {@code what} names it in the error. */
    public static ImageShape of(HostTensor tensor, String what) {
        long[] shape = tensor.shape();
        if (shape.length != 4) {
            throw new IllegalArgumentException(what + " must be NCHW [N, C, H, W]; got shape " + Arrays.toString(shape));
        }
        return new ImageShape((int) shape[0], (int) shape[1], (int) shape[2], (int) shape[3]);
    }

    /** The shape of a mask, which must be [1, 1, H, W]. */
    public static ImageShape ofMask(HostTensor mask) {
        ImageShape shape = of(mask, "a mask");
        if (shape.batch != 1 || shape.channels != 1) {
            throw new IllegalArgumentException("a mask must be [1, 1, H, W]; got shape " + Arrays.toString(mask.shape()));
        }
        return shape;
    }

    /** The shape of a single image, [1, C, H, W]. */
    public static ImageShape ofImage(HostTensor image, String what) {
        ImageShape shape = of(image, what);
        if (shape.batch != 1) {
            throw new IllegalArgumentException(what + " must be a single image [1, C, H, W]; got shape "
                    + Arrays.toString(image.shape()));
        }
        return shape;
    }

    public int plane() {
        return height * width;
    }

    /** "width×height", the order image sizes are given in everywhere else. */
    public String size() {
        return width + "×" + height;
    }

    /** Fails unless {@code other} has this height and width: "{what} is W×H but {otherWhat} is W×H". */
    public void requireSameSize(ImageShape other, String what, String otherWhat) {
        if (height != other.height || width != other.width) {
            throw new IllegalArgumentException(what + " is " + size() + " but " + otherWhat + " is " + other.size());
        }
    }

    public static long[] nchw(int batch, int channels, int height, int width) {
        return new long[] {batch, channels, height, width};
    }
}
