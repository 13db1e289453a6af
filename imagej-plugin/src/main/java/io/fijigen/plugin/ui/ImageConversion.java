package io.fijigen.plugin.ui;

import ij.ImagePlus;
import ij.process.ColorProcessor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * RGB images between ImageJ and the engine, which takes and returns PNG bytes: RGB images as they
 * are, composite (multi-channel) images as their RGB rendering of the current slice and frame, 8
 * bits per channel. Grey images go through {@link GreyConversion}; {@link SourceImage} chooses.
 */
public final class ImageConversion {
    private ImageConversion() {}

    /**
     * The current slice of an RGB or composite image as ImageJ shows it: a new ColorProcessor; the
     * image itself is not changed.
     *
     * @throws IllegalArgumentException for a grey image, which goes as grey
     */
    public static ColorProcessor toRgb(ImagePlus imp) {
        if (imp.isComposite()) {
            // Its channels as shown, each through its own LUT and display range, merged.
            return new ColorProcessor(imp.getImage());
        }
        if (imp.getProcessor() instanceof ColorProcessor color) {
            return (ColorProcessor) color.duplicate();
        }
        throw new IllegalArgumentException(imp.getTitle() + " is a " + imp.getBitDepth()
                + "-bit grey image, which goes to the engine as grey (SourceImage)");
    }

    /** {@code ip} as a PNG (RGB, 8 bits per channel). */
    public static byte[] toPng(ColorProcessor ip) {
        BufferedImage image = new BufferedImage(ip.getWidth(), ip.getHeight(), BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, ip.getWidth(), ip.getHeight(), (int[]) ip.getPixels(), 0, ip.getWidth());
        return encode(image);
    }

    /** {@code image} as PNG bytes. */
    static byte[] encode(BufferedImage image) {
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
