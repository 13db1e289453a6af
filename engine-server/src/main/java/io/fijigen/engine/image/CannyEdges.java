package io.fijigen.engine.image;

import io.fijigen.engine.tensor.HostTensor;
import java.awt.image.BufferedImage;
import java.util.Locale;
import java.util.Objects;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

/**
 * Canny edge maps as the ControlNet canny annotators make them: {@code cv2.Canny(image, low, high)},
 * that is a 3×3 Sobel and the L1 gradient magnitude, computed by OpenCV itself so that edge maps
 * match the reference exactly. Colour images go to OpenCV with their 3 channels, as the reference
 * does: per pixel it keeps the channel with the largest gradient, which a grey conversion would not.
 */
public final class CannyEdges {
    /** The reference's Sobel size ({@code cv2.Canny}'s default). */
    private static final int APERTURE = 3;

    private CannyEdges() {}

    /**
     * The edge map of an 8-bit image.
     *
     * @param pixels {@code height × width × channels} bytes, channels interleaved (HWC), rows top first
     * @param channels 1 (grey) or 3 (RGB; the order of the colours does not matter to Canny)
     * @param low gradient magnitude below which a pixel is never an edge
     * @param high gradient magnitude above which a pixel is always an edge (between the two: only
     *     when connected to such a pixel)
     * @return {@code height × width} bytes, 0 or 255 (as unsigned: {@code (byte) 255 == -1})
     * @throws IllegalArgumentException for a wrong channel count, buffer length or thresholds
     */
    public static byte[] edges(byte[] pixels, int height, int width, int channels, double low, double high) {
        Objects.requireNonNull(pixels, "pixels");
        checkLayout(pixels.length, height, width, channels);
        checkThresholds(low, high);
        OpenCvNatives.load();
        Mat image = new Mat(height, width, CvType.CV_8UC(channels));
        Mat edges = new Mat();
        try {
            image.put(0, 0, pixels);
            Imgproc.Canny(image, edges, low, high, APERTURE, false);
            byte[] result = new byte[height * width];
            edges.get(0, 0, result);
            return result;
        } finally {
            // The pixel buffers are native: free them now rather than whenever the collector runs.
            image.release();
            edges.release();
        }
    }

    /**
     * The edge map of an image as an 8-bit grey image (0 or 255). 8-bit grey images are used as
     * they are; every other image through its 8-bit RGB values (alpha ignored).
     *
     * @throws IllegalArgumentException for thresholds as in {@link #edges(byte[], int, int, int,
     *     double, double)}, or a grey image of more than 8 bits
     */
    public static BufferedImage edges(BufferedImage image, double low, double high) {
        ImagePixels pixels = ImagePixels.of(image);
        byte[] edges = edges(pixels.data(), pixels.height(), pixels.width(), pixels.channels(), low, high);
        return ImagePixels.greyImage(edges, pixels.height(), pixels.width());
    }

    /**
     * The ControlNet conditioning image of an edge map: the map stacked to 3 channels and scaled to
     * [0, 1], as the reference pipeline prepares it (so every value is exactly 0 or 1).
     *
     * @param edges an edge map from {@link #edges(byte[], int, int, int, double, double)}
     * @return {@code 3 × edges.length} floats, channel planes one after the other (CHW), the data of a
     *     {@code [1, 3, height, width]} tensor
     */
    public static float[] controlImage(byte[] edges) {
        int plane = edges.length;
        float[] image = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            float value = (edges[i] & 0xFF) / 255f;
            image[i] = value;
            image[plane + i] = value;
            image[2 * plane + i] = value;
        }
        return image;
    }

    /**
     * The control image of a canny ControlNet from an RGB image tensor [1, 3, H, W] in [0, 1] (8-bit
     * values, as decoded from a file): its edges, stacked to [1, 3, H, W] as 0/1.
     */
    public static HostTensor controlImage(HostTensor rgb, double low, double high) {
        int height = (int) rgb.dim(2);
        int width = (int) rgb.dim(3);
        int plane = height * width;
        byte[] pixels = new byte[3 * plane];
        float[] data = rgb.data();
        for (int at = 0; at < plane; at++) {
            for (int channel = 0; channel < 3; channel++) {
                pixels[3 * at + channel] = (byte) Math.rint(data[channel * plane + at] * 255f);
            }
        }
        return new HostTensor(controlImage(edges(pixels, height, width, 3, low, high)), new long[] {1, 3, height, width});
    }

    /** The number of edge (non-zero) pixels in an edge map image. */
    public static int count(BufferedImage edgeMap) {
        int[] samples = edgeMap.getRaster().getSamples(0, 0, edgeMap.getWidth(), edgeMap.getHeight(), 0, (int[]) null);
        int count = 0;
        for (int value : samples) {
            if (value != 0) {
                count++;
            }
        }
        return count;
    }

    private static void checkLayout(int length, int height, int width, int channels) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("Canny takes 1 (grey) or 3 (RGB) channels, not " + channels);
        }
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("image size " + width + "×" + height + " is empty or negative");
        }
        long expected = (long) height * width * channels;
        if (length != expected) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "pixel buffer has %d bytes; expected %d (%d×%d×%d, height×width×channels)",
                    length, expected, height, width, channels));
        }
    }

    /**
     * OpenCV would swap thresholds given in the wrong order, silently; here that is taken as a
     * mistake worth reporting, since the two play different roles. Public so that a request's
     * thresholds are checked before its image is decoded.
     *
     * @throws IllegalArgumentException for thresholds that are not finite, negative or out of order
     */
    public static void checkThresholds(double low, double high) {
        if (!(low >= 0) || !(high >= 0) || Double.isInfinite(low) || Double.isInfinite(high)) {
            throw new IllegalArgumentException(
                    "Canny thresholds must be finite and non-negative: low " + low + ", high " + high);
        }
        if (low > high) {
            throw new IllegalArgumentException(
                    "Canny low threshold " + low + " is above the high threshold " + high);
        }
    }
}
