package io.fijigen.plugin.layers;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.gui.ShapeRoi;
import ij.plugin.filter.ThresholdToSelection;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

/**
 * Which pixels of an image were generated, so that later analysis can leave them out: a selection
 * named {@value #NAME} in the image's overlay, one per plane that has any (Image › Overlay › To ROI
 * Manager puts it where analysis can use it, e.g. inverted to measure only the data). A new
 * image the engine made is generated throughout; Apply Layer adds the pixels it wrote from a layer
 * (where the layer's alpha is not zero, or, for a layer without alpha, where the value changed) to
 * the selection of the plane it wrote to.
 */
public final class GeneratedPixels {
    /** The selection's name. */
    public static final String NAME = LayerInserter.NAME_PREFIX + "generated";
    private static final Color COLOUR = new Color(255, 0, 255, 160);

    private GeneratedPixels() {}

    /** Marks every pixel of {@code imp}, a new image the engine made, as generated (on all its planes). */
    public static void all(ImagePlus imp) {
        Roi whole = new Roi(0, 0, imp.getWidth(), imp.getHeight());
        Overlay overlay = imp.getOverlay() == null ? new Overlay() : imp.getOverlay();
        overlay.add(named(whole));
        imp.setOverlay(overlay);
    }

    /**
     * Adds the pixels set in {@code written} (255) to the generated selection of the plane at
     * {@code channel} (0: every channel) and the image's current slice and frame.
     */
    static void add(ImagePlus imp, ByteProcessor written, int channel) {
        written.setThreshold(255, 255, ImageProcessor.NO_LUT_UPDATE);
        Roi region = ThresholdToSelection.run(new ImagePlus("", written));
        if (region == null) {
            return;
        }
        Overlay overlay = imp.getOverlay() == null ? new Overlay() : imp.getOverlay();
        Roi placed = named(region);
        position(imp, placed, channel);
        Roi earlier = find(imp, placed);
        if (earlier != null) {
            overlay.remove(earlier);
            placed = named(new ShapeRoi(earlier).or(new ShapeRoi(region)));
            position(imp, placed, channel);
        }
        overlay.add(placed);
        imp.setOverlay(overlay);
    }

    /** The image's generated selections, one per plane that has any. */
    public static List<Roi> of(ImagePlus imp) {
        List<Roi> selections = new ArrayList<>();
        if (imp.getOverlay() != null) {
            for (Roi roi : imp.getOverlay().toArray()) {
                if (NAME.equals(roi.getName())) {
                    selections.add(roi);
                }
            }
        }
        return selections;
    }

    private static Roi find(ImagePlus imp, Roi at) {
        if (imp.getOverlay() == null) {
            return null;
        }
        for (Roi roi : imp.getOverlay().toArray()) {
            if (NAME.equals(roi.getName()) && roi.getPosition() == at.getPosition()
                    && roi.getCPosition() == at.getCPosition() && roi.getZPosition() == at.getZPosition()
                    && roi.getTPosition() == at.getTPosition()) {
                return roi;
            }
        }
        return null;
    }

    private static void position(ImagePlus imp, Roi roi, int channel) {
        if (imp.getStackSize() == 1) {
            return;
        }
        if (imp.isHyperStack() || imp.isComposite()) {
            roi.setPosition(channel, imp.getZ(), imp.getT());
        } else {
            roi.setPosition(imp.getCurrentSlice());
        }
    }

    private static Roi named(Roi roi) {
        roi.setName(NAME);
        roi.setStrokeColor(COLOUR);
        return roi;
    }
}
