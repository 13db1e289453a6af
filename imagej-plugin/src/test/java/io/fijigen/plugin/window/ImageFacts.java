package io.fijigen.plugin.window;

import ij.ImagePlus;
import ij.gui.ImageRoi;
import ij.gui.Roi;
import ij.measure.Calibration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/** What a scenario records of an image: the texts its facts compare, through ImageJ's API only. */
final class ImageFacts {
    private ImageFacts() {}

    /** An image's title, type, dimensions, calibration and slice labels, as facts under {@code key}. */
    static void describe(Properties facts, String key, ImagePlus imp) {
        Calibration c = imp.getCalibration();
        facts.setProperty(key + ".title", imp.getTitle());
        facts.setProperty(key + ".bitDepth", Integer.toString(imp.getBitDepth()));
        facts.setProperty(key + ".dimensions", imp.getNChannels() + "x" + imp.getNSlices() + "x" + imp.getNFrames());
        facts.setProperty(key + ".composite", Boolean.toString(imp.isComposite()));
        facts.setProperty(key + ".calibration", c.pixelWidth + " " + c.getUnit() + ", origin " + c.xOrigin + ","
                + c.yOrigin);
        facts.setProperty(key + ".labels", labels(imp));
    }

    /** The slice labels of {@code imp}, joined by |. */
    static String labels(ImagePlus imp) {
        List<String> labels = new ArrayList<>();
        for (int i = 1; i <= imp.getStackSize(); i++) {
            labels.add(String.valueOf(imp.getStack().getSliceLabel(i)));
        }
        return String.join("|", labels);
    }

    /** The fijigen layers of {@code imp}, bottom to top. */
    static List<ImageRoi> fijigenLayers(ImagePlus imp) {
        List<ImageRoi> layers = new ArrayList<>();
        if (imp.getOverlay() != null) {
            for (Roi roi : imp.getOverlay().toArray()) {
                if (roi instanceof ImageRoi layer && roi.getName() != null && roi.getName().startsWith("[fijigen] ")) {
                    layers.add(layer);
                }
            }
        }
        return layers;
    }

    /** The fijigen layers of {@code imp}: name, slice (0: every slice) and bit depth of each, joined by |. */
    static String layers(ImagePlus imp) {
        return String.join("|", fijigenLayers(imp).stream().map(layer -> layer.getName() + " @" + layer.getPosition()
                + " " + layer.getProcessor().getBitDepth() + "-bit").toList());
    }

    /** Whether the two images' stacks hold the same pixels, slice by slice. */
    static boolean samePixels(ImagePlus a, ImagePlus b) {
        if (a.getStackSize() != b.getStackSize()) {
            return false;
        }
        for (int i = 1; i <= a.getStackSize(); i++) {
            if (!Objects.deepEquals(a.getStack().getPixels(i), b.getStack().getPixels(i))) {
                return false;
            }
        }
        return true;
    }

}
