package io.fijigen.engine.cli;

import com.google.protobuf.ByteString;
import ij.ImagePlus;
import ij.gui.Roi;
import ij.io.Opener;
import ij.io.RoiDecoder;
import ij.process.ColorProcessor;
import io.fijigen.proto.client.LabelPalette;
import io.fijigen.proto.client.LineScribble;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;

/**
 * Control images the command line renders from ImageJ's files, with the plugin's renderers so both
 * give the same pixels: {@code --control-roi} lines and {@code --control-labels} label images. A
 * bad file is refused naming the option and the file.
 */
final class RenderedControls {
    private RenderedControls() {}

    /** The line ROIs of {@code roiFile} (FILE.roi, or a ROI Manager's FILE.zip) white on black, as PNG. */
    static ByteString scribble(Path roiFile, int width, int height, int lineWidth) throws IOException {
        String option = "--control-roi " + roiFile;
        List<Roi> rois = rois(roiFile, option);
        try {
            return png(LineScribble.render(rois, width, height, lineWidth));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }

    /** The label image {@code file} in {@code paletteName}'s colours, as PNG. */
    static ByteString labels(Path file, String paletteName) throws IOException {
        LabelPalette palette = LabelPalette.named(paletteName);
        String option = "--control-labels " + file;
        requireFile(file, option);
        ImagePlus labels = new Opener().openImage(file.toString());
        if (labels == null) {
            throw new IllegalArgumentException(option + ": not an image ImageJ can open");
        }
        try {
            return png(palette.render(labels.getProcessor()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }

    private static List<Roi> rois(Path file, String option) throws IOException {
        requireFile(file, option);
        if (!file.getFileName().toString().toLowerCase().endsWith(".zip")) {
            return List.of(decode(Files.readAllBytes(file), file.getFileName().toString(), option));
        }
        List<Roi> rois = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (entry.getName().endsWith(".roi")) {
                    rois.add(decode(zip.readAllBytes(), entry.getName(), option));
                }
            }
        }
        if (rois.isEmpty()) {
            throw new IllegalArgumentException(option + ": no .roi entry in the zip (save the ROI Manager's list with"
                    + " More > Save...)");
        }
        return rois;
    }

    /** RoiDecoder answers a file that is not a ROI with an IOException or, cut short, an index past the end. */
    private static Roi decode(byte[] bytes, String name, String option) {
        try {
            Roi roi = new RoiDecoder(bytes, name).getRoi();
            if (roi == null) {
                throw new IOException("no ROI in it");
            }
            return roi;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(option + ": " + name + " is not an ImageJ ROI file (" + e.getMessage()
                    + ")", e);
        }
    }

    private static void requireFile(Path file, String option) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(option + ": file not found");
        }
    }

    private static ByteString png(ColorProcessor image) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image.getBufferedImage(), "png", png);
        return ByteString.copyFrom(png.toByteArray());
    }
}
