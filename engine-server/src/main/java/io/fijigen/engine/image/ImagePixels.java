package io.fijigen.engine.image;

import io.fijigen.engine.tensor.HostTensor;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;

/** The 8-bit pixels of an image, channels interleaved (HWC): 1 channel for grey, 3 for RGB. */
record ImagePixels(byte[] data, int height, int width, int channels) {

    /**
     * Grey images keep their stored values: going through {@code getRGB} would pass them through
     * Java's linear-grey to sRGB conversion and change them. Everything else becomes 8-bit RGB.
     */
    static ImagePixels of(BufferedImage image) {
        int height = image.getHeight();
        int width = image.getWidth();
        ColorModel model = image.getColorModel();
        boolean grey = model.getColorSpace().getType() == ColorSpace.TYPE_GRAY && model.getNumColorComponents() == 1;
        if (grey) {
            int bits = model.getComponentSize(0);
            if (bits != 8) {
                throw new IllegalArgumentException(
                        "grey images of " + bits + " bits are not supported; convert to 8 bits first");
            }
            int[] samples = image.getRaster().getSamples(0, 0, width, height, 0, (int[]) null);
            byte[] data = new byte[samples.length];
            for (int i = 0; i < samples.length; i++) {
                data[i] = (byte) samples[i];
            }
            return new ImagePixels(data, height, width, 1);
        }
        int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
        byte[] data = new byte[3 * argb.length];
        for (int i = 0; i < argb.length; i++) {
            data[3 * i] = (byte) (argb[i] >> 16);
            data[3 * i + 1] = (byte) (argb[i] >> 8);
            data[3 * i + 2] = (byte) argb[i];
        }
        return new ImagePixels(data, height, width, 3);
    }

    /**
     * Image {@code index} of an [N, H, W, 3] batch in [0, 1], rounded to 8 bits as the reference's
     * {@code numpy_to_pil} rounds: (x·255).round(), half to even.
     */
    static ImagePixels ofNhwc(HostTensor images, int index) {
        int height = (int) images.dim(1);
        int width = (int) images.dim(2);
        int channels = (int) images.dim(3);
        int size = height * width * channels;
        float[] data = images.data();
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) toByte(data[index * size + i]);
        }
        return new ImagePixels(bytes, height, width, channels);
    }

    /** These RGB pixels as a Java image. */
    BufferedImage rgbImage() {
        if (channels != 3) {
            throw new IllegalArgumentException("expected RGB pixels, got " + channels + " channels");
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int at = (y * width + x) * 3;
                image.setRGB(x, y, (data[at] & 0xFF) << 16 | (data[at + 1] & 0xFF) << 8 | data[at + 2] & 0xFF);
            }
        }
        return image;
    }

    /** A value in [0, 1] as 8 bits (clamped), rounded half to even as numpy rounds. */
    private static int toByte(float value) {
        return (int) Math.rint(Math.min(1f, Math.max(0f, value)) * 255f);
    }

    /** An 8-bit grey image holding {@code data} ({@code height × width} bytes) as stored values. */
    static BufferedImage greyImage(byte[] data, int height, int width) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] target = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        System.arraycopy(data, 0, target, 0, data.length);
        return image;
    }
}
