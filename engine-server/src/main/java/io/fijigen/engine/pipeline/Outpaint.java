package io.fijigen.engine.pipeline;

import io.fijigen.engine.image.BorderFill;

/**
 * Outpainting: how far the canvas grows on each side, how many pixels of the image are repainted
 * along each side that grows (so the new border blends in), and what the new pixels hold before
 * they are painted.
 */
public record Outpaint(int left, int top, int right, int bottom, int overlap, BorderFill fill) {
    /** SD's VAE downscale: sides of a generated image are its multiples. */
    private static final int LATENT_GRID = 8;

    /** The sides checked in {@link RequestLimits}, where the image they grow is known too. */
    public Outpaint {
        if (fill == null) {
            throw new IllegalArgumentException("an outpaint needs a fill");
        }
    }

    /** The grown image's width for an image {@code width} wide. */
    public int width(int width) {
        return width + left + right;
    }

    public int height(int height) {
        return height + top + bottom;
    }

    /** A grown image's side as it is generated: rounded up to the latent grid (the excess is cropped off after). */
    public static int generatedSide(int side) {
        return (side + LATENT_GRID - 1) / LATENT_GRID * LATENT_GRID;
    }

    /** Whether no side grows. */
    public boolean isEmpty() {
        return left == 0 && top == 0 && right == 0 && bottom == 0;
    }
}
