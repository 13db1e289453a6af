package io.fijigen.engine.image;

import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.tensor.ImageShape;

/**
 * Pasting a generated image back into the original under a feathered mask. The VAE round trip
 * changes every pixel a little, so blending the whole image would leave a faint seam of changed
 * pixels everywhere; instead every pixel with alpha 0, or outside the generated region, is the
 * original's float, bit for bit.
 */
public final class MaskCompositor {
    private MaskCompositor() {}

    /**
     * Paste-back of a generated region: {@code original} [1, C, H, W], {@code generated} [1, C, h, w]
     * covering {@code region} (h×w the region's size: the caller has resized it), {@code alpha}
     * [1, 1, H, W] in [0, 1], the feathered mask of the full image. The result is the original where
     * alpha is 0 and outside the region; elsewhere original·(1 − a) + generated·a, which is the
     * generated value itself where alpha is 1.
     *
     * @throws IllegalArgumentException when sizes or channel counts disagree; the message gives both
     */
    public static HostTensor pasteBack(HostTensor original, HostTensor generated, CropRegion region, HostTensor alpha) {
        return blend(original, generated, region, alpha, "the region");
    }

    /** Paste-back with {@code generated} covering the whole image. */
    public static HostTensor pasteBack(HostTensor original, HostTensor generated, HostTensor alpha) {
        ImageShape image = ImageShape.ofImage(original, "the original");
        return blend(original, generated, new CropRegion(0, 0, image.width(), image.height()), alpha, "the original");
    }

    private static HostTensor blend(HostTensor original, HostTensor generated, CropRegion region, HostTensor alpha,
            String covered) {
        ImageShape image = ImageShape.ofImage(original, "the original");
        ImageShape made = ImageShape.ofImage(generated, "the generated image");
        ImageShape.ofMask(alpha).requireSameSize(image, "the mask", "the image");
        region.requireInside(image);
        if (made.width() != region.width() || made.height() != region.height()) {
            throw new IllegalArgumentException("the generated image is " + made.size() + " but " + covered + " is "
                    + region.width() + "×" + region.height());
        }
        if (made.channels() != image.channels()) {
            throw new IllegalArgumentException("the generated image has " + made.channels()
                    + " channels but the original has " + image.channels());
        }
        float[] weights = alpha.data();
        float[] source = generated.data();
        float[] result = original.data().clone();
        for (int channel = 0; channel < image.channels(); channel++) {
            for (int row = 0; row < region.height(); row++) {
                int y = region.y() + row;
                for (int column = 0; column < region.width(); column++) {
                    int x = region.x() + column;
                    double a = weights[y * image.width() + x];
                    if (a == 0) {
                        continue; // the original's bits stay, whatever the generated value (even NaN)
                    }
                    int at = channel * image.plane() + y * image.width() + x;
                    float g = source[(channel * region.height() + row) * region.width() + column];
                    // In double, 1 − a and both products are exact (for any alpha above 2^-29) and
                    // the sum rounds once before the float rounding, so the blend stays within
                    // [min(o, g), max(o, g)], and a = 1 gives g exactly.
                    result[at] = (float) (result[at] * (1 - a) + g * a);
                }
            }
        }
        return new HostTensor(result, original.shape().clone());
    }
}
