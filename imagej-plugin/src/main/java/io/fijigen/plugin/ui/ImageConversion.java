package io.fijigen.plugin.ui;

import ij.ImagePlus;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * Images between ImageJ and the engine, which takes and returns PNG bytes.
 *
 * <p>To the engine an image goes as ImageJ shows it: RGB as is; 8-, 16- and 32-bit through the
 * current display range (and LUT), 8 bits per channel; composite (multi-channel) images as their
 * RGB rendering of the current slice and frame. Only the current slice of a stack is sent.
 */
public final class ImageConversion {
    private ImageConversion() {}

    /** The current slice of {@code imp} as an RGB PNG. */
    public static byte[] toPng(ImagePlus imp) {
        return toPng(toRgb(imp));
    }

    /**
     * The current slice of {@code imp} as the engine should see it: a new ColorProcessor; the image
     * itself is not changed.
     */
    public static ColorProcessor toRgb(ImagePlus imp) {
        if (imp.isComposite()) {
            // Its channels as shown, each through its own LUT and display range, merged.
            return new ColorProcessor(imp.getImage());
        }
        ImageProcessor ip = imp.getProcessor();
        if (ip instanceof ColorProcessor color) {
            return (ColorProcessor) color.duplicate();
        }
        ImageProcessor copy = ip.duplicate();
        copy.setColorModel(ip.getColorModel());
        copy.setMinAndMax(imp.getDisplayRangeMin(), imp.getDisplayRangeMax());
        // Scales min..max of the display range to 0..255, then renders through the LUT.
        ImageProcessor bytes = copy.convertToByte(true);
        return (ColorProcessor) bytes.convertToRGB();
    }

    /** {@code ip} as a PNG (RGB, 8 bits per channel). */
    public static byte[] toPng(ColorProcessor ip) {
        BufferedImage image = new BufferedImage(ip.getWidth(), ip.getHeight(), BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, ip.getWidth(), ip.getHeight(), (int[]) ip.getPixels(), 0, ip.getWidth());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A PNG (grey, RGB or RGBA; alpha is dropped) as a ColorProcessor. */
    public static ColorProcessor fromPng(byte[] png) {
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(png));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a readable PNG: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new IllegalArgumentException("not a PNG");
        }
        int w = image.getWidth();
        int h = image.getHeight();
        int[] pixels = image.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] &= 0xffffff;
        }
        return new ColorProcessor(w, h, pixels);
    }
}
