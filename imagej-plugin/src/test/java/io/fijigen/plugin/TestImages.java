package io.fijigen.plugin;

import ij.ImagePlus;
import ij.Undo;
import ij.WindowManager;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import io.fijigen.plugin.ui.ImageConversion;
import io.fijigen.proto.v1.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Test images, result checks, Edit › Undo and Batch Folder's CSV, shared by the plugin's tests. */
public final class TestImages {
    private TestImages() {}

    /** An RGB gradient: red along x, green along y, blue constant. */
    public static ImagePlus gradient(int width, int height) {
        ColorProcessor ip = new ColorProcessor(width, height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                ip.set(x, y, (x * 2 & 0xff) << 16 | (y * 2 & 0xff) << 8 | 0x40);
            }
        }
        return new ImagePlus("gradient", ip);
    }

    /** Mean |a − b| over the RGB channels of the columns from..to of two RGB images {@code width} wide. */
    public static double meanRgbDiff(int[] a, int[] b, int width, int from, int to) {
        double sum = 0;
        int count = 0;
        for (int y = 0; y < a.length / width; y++) {
            for (int x = from; x < to; x++) {
                for (int shift = 0; shift <= 16; shift += 8) {
                    sum += Math.abs((a[y * width + x] >> shift & 0xff) - (b[y * width + x] >> shift & 0xff));
                    count++;
                }
            }
        }
        return sum / count;
    }

    /** A dark image with a bright square: its edges are the square's outline. */
    public static ImagePlus square(int width, int height) {
        ColorProcessor ip = new ColorProcessor(width, height);
        ip.setColor(0x202020);
        ip.fill();
        ip.setColor(0xe0e0e0);
        ip.setRoi(20, 16, 30, 24);
        ip.fill();
        ip.resetRoi();
        return new ImagePlus("square", ip);
    }

    /** Edit › Undo on {@code imp}: headless, Undo acts on WindowManager's current image (per thread). */
    public static void undo(ImagePlus imp) {
        WindowManager.setTempCurrentImage(imp);
        try {
            Undo.undo();
        } finally {
            WindowManager.setTempCurrentImage(null);
        }
    }

    /** The result's {@code index}-th image, decoded. */
    public static ColorProcessor returned(Result result, int index) {
        return ImageConversion.fromPng(result.getImages(index).getPng().toByteArray());
    }

    /**
     * Asserts two pixel arrays hold the same RGB values (ImageJ sets the unused alpha byte on some
     * paths, e.g. Undo), naming the first pixel that differs rather than printing both arrays.
     */
    public static void assertSameRgb(int[] actual, int[] expected, int width) {
        org.assertj.core.api.Assertions.assertThat(actual.length).isEqualTo(expected.length);
        for (int i = 0; i < actual.length; i++) {
            if ((actual[i] & 0xffffff) != (expected[i] & 0xffffff)) {
                org.assertj.core.api.Assertions.fail("pixel (%d, %d) is %06x, expected %06x", i % width, i / width,
                        actual[i] & 0xffffff, expected[i] & 0xffffff);
            }
        }
    }

    /** {@code ip}'s RGB values in the rectangle, row by row. */
    public static int[] rgb(ImageProcessor ip, int x, int y, int width, int height) {
        int[] values = new int[width * height];
        for (int row = 0; row < height; row++) {
            for (int column = 0; column < width; column++) {
                values[row * width + column] = ip.get(x + column, y + row) & 0xffffff;
            }
        }
        return values;
    }

    /** The records of the Batch Folder CSV in {@code output}, header first. */
    public static List<List<String>> batchCsv(Path output) throws IOException {
        return BatchFolder.Csv.read(Files.readString(output.resolve(BatchFolder.CSV), StandardCharsets.UTF_8));
    }
}
