package io.fijigen.plugin.ij1;

import java.awt.Canvas;
import java.awt.Dimension;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** A step preview PNG scaled into a square of {@link #SIDE} pixels; nothing (no size) without one. */
final class Thumbnail extends Canvas {
    static final int SIDE = 96;

    private byte[] png;
    private BufferedImage image;

    /**
     * Shows {@code newPng}; decodes it only when it is a new preview.
     *
     * @return whether the thumbnail's size changed (its container must lay out again)
     */
    boolean display(byte[] newPng) {
        if (newPng == png) {
            return false;
        }
        Dimension before = getPreferredSize();
        png = newPng;
        image = decode(newPng);
        repaint();
        return !before.equals(getPreferredSize());
    }

    @Override
    public Dimension getPreferredSize() {
        if (image == null) {
            return new Dimension(0, 0);
        }
        double scale = (double) SIDE / Math.max(image.getWidth(), image.getHeight());
        return new Dimension((int) Math.round(image.getWidth() * scale), (int) Math.round(image.getHeight() * scale));
    }

    @Override
    public void paint(Graphics g) {
        if (image != null) {
            Dimension size = getPreferredSize();
            ((Graphics2D) g).setRenderingHint(RenderingHints.KEY_INTERPOLATION,
                    RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, size.width, size.height, null);
        }
    }

    /** The preview, or null when there is none or it does not decode (a thumbnail is not worth an error). */
    private static BufferedImage decode(byte[] png) {
        if (png == null) {
            return null;
        }
        try {
            return ImageIO.read(new ByteArrayInputStream(png));
        } catch (IOException e) {
            return null;
        }
    }
}
