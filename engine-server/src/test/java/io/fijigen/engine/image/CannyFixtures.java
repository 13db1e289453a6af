package io.fijigen.engine.image;

import ai.djl.ndarray.NDArray;
import java.awt.image.BufferedImage;

/** The canny fixtures as Java images and bytes. */
public final class CannyFixtures {
    public static final String INPUT_RGB = "canny.input_rgb_u8";
    public static final String INPUT_GREY = "canny.gray_u8";

    private CannyFixtures() {}

    /** A uint8 fixture's bytes, row-major (HWC for images). */
    public static byte[] bytes(NDArray array) {
        return array.toByteArray();
    }

    /** An RGB image ({@code TYPE_INT_RGB}) from HWC bytes. */
    public static BufferedImage rgbImage(byte[] hwc, int height, int width) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = 3 * (y * width + x);
                image.setRGB(x, y, (hwc[i] & 0xFF) << 16 | (hwc[i + 1] & 0xFF) << 8 | (hwc[i + 2] & 0xFF));
            }
        }
        return image;
    }

    /** Pixels where two edge maps differ, printed for the record. */
    public static int differing(String name, byte[] ours, byte[] reference) {
        int differing = 0;
        int edges = 0;
        for (int i = 0; i < reference.length; i++) {
            differing += ours[i] != reference[i] ? 1 : 0;
            edges += reference[i] != 0 ? 1 : 0;
        }
        System.out.printf("parity %-28s %d of %d pixels differ (reference has %d edge pixels)%n",
                name, differing, reference.length, edges);
        return differing;
    }
}
