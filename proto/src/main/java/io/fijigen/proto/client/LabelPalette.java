package io.fijigen.proto.client;

import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Colours for a label image, as a segmentation ControlNet's control image: label 0 is black,
 * label k ≥ 1 the palette's colour k. The same pixels from the plugin and the command line.
 */
public enum LabelPalette {
    /**
     * ADE20K's 150 classes, label k the colour of class k − 1 (the segmentation ControlNets were
     * trained on ADE20K maps in these colours); the table is mmsegmentation's, in
     * {@code ade20k-palette.txt}.
     */
    ADE20K(150) {
        @Override
        int colour(int label) {
            return Ade20k.COLOURS[label - 1];
        }
    },
    /**
     * Any number of labels in hues a golden angle apart, fully saturated and bright: label k's hue
     * is (k − 1) · 137.50776405° mod 360; in the hue's 60° sector i with f its fraction into the
     * sector, the rising channel is round(255 f), the falling one round(255 (1 − f)).
     */
    DISTINCT(65535) {
        @Override
        int colour(int label) {
            double hue = ((label - 1) * GOLDEN_ANGLE) % 360;
            int sector = (int) (hue / 60);
            double f = hue / 60 - sector;
            int rising = (int) Math.round(255 * f);
            int falling = (int) Math.round(255 * (1 - f));
            return switch (sector) {
                case 0 -> packed(255, rising, 0);
                case 1 -> packed(falling, 255, 0);
                case 2 -> packed(0, 255, rising);
                case 3 -> packed(0, falling, 255);
                case 4 -> packed(rising, 0, 255);
                default -> packed(255, 0, falling);
            };
        }
    };

    static final double GOLDEN_ANGLE = 137.50776405;

    private final int labels;

    LabelPalette(int labels) {
        this.labels = labels;
    }

    /** The highest label this palette colours. */
    public int labels() {
        return labels;
    }

    abstract int colour(int label);

    /** Label {@code label}'s colour as 0xRRGGBB, 0 for label 0. */
    public int rgb(int label) {
        if (label < 0 || label > labels) {
            throw new IllegalArgumentException("label " + label + " is past the " + name().toLowerCase(Locale.ROOT)
                    + " palette's " + labels + " labels (1.." + labels + "; 0 is black)");
        }
        return label == 0 ? 0 : colour(label);
    }

    /** The palette named {@code name} as the CLI and macros spell it (ade20k, distinct). */
    public static LabelPalette named(String name) {
        for (LabelPalette palette : values()) {
            if (palette.name().equalsIgnoreCase(name)) {
                return palette;
            }
        }
        throw new IllegalArgumentException("palette '" + name + "' is not one of ade20k, distinct");
    }

    /**
     * {@code labels} in this palette's colours.
     *
     * @throws IllegalArgumentException for an RGB image, a label that is not a whole number or past
     *     the palette, naming the pixel
     */
    public ColorProcessor render(ImageProcessor labelImage) {
        if (labelImage instanceof ColorProcessor) {
            throw new IllegalArgumentException("the label image is RGB: labels are an 8-, 16- or 32-bit image of"
                    + " whole numbers");
        }
        int width = labelImage.getWidth();
        ColorProcessor rgb = new ColorProcessor(width, labelImage.getHeight());
        int[] pixels = (int[]) rgb.getPixels();
        for (int i = 0; i < pixels.length; i++) {
            int x = i % width;
            int y = i / width;
            int label = labelImage instanceof FloatProcessor ? whole(labelImage.getf(i), x, y) : labelImage.get(i);
            try {
                pixels[i] = rgb(label);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + " at pixel (" + x + ", " + y + ")", e);
            }
        }
        return rgb;
    }

    private static int whole(float value, int x, int y) {
        if (value != Math.rint(value) || value < 0 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("label " + value + " at pixel (" + x + ", " + y + ") is not a whole"
                    + " number ≥ 0");
        }
        return (int) value;
    }

    private static int packed(int r, int g, int b) {
        return r << 16 | g << 8 | b;
    }

    /** The table, read once on first use. */
    private static final class Ade20k {
        static final int[] COLOURS = read();

        private static int[] read() {
            int[] colours = new int[ADE20K.labels];
            try (InputStream in = LabelPalette.class.getResourceAsStream("ade20k-palette.txt");
                    BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
                int k = 0;
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (!line.startsWith("#")) {
                        String[] rgb = line.trim().split(" ");
                        colours[k++] = packed(Integer.parseInt(rgb[0]), Integer.parseInt(rgb[1]),
                                Integer.parseInt(rgb[2]));
                    }
                }
                return colours;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
