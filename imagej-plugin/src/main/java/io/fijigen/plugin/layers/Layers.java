package io.fijigen.plugin.layers;

import ij.ImagePlus;
import ij.Undo;
import ij.gui.ImageRoi;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import io.fijigen.plugin.ui.ImageConversion;
import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;

/** The plugin's layers on an image: finding, applying (burning in) and removing them. */
public final class Layers {
    private Layers() {}

    /** The fijigen layers of {@code imp}, bottom to top. */
    public static List<ImageRoi> of(ImagePlus imp) {
        List<ImageRoi> layers = new ArrayList<>();
        Overlay overlay = imp.getOverlay();
        if (overlay != null) {
            for (Roi roi : overlay.toArray()) {
                if (roi instanceof ImageRoi layer && isOurs(layer)) {
                    layers.add(layer);
                }
            }
        }
        return layers;
    }

    private static boolean isOurs(Roi roi) {
        return roi.getName() != null && roi.getName().startsWith(LayerInserter.NAME_PREFIX);
    }

    /**
     * The layer Apply Layer acts on: the one named {@code name} when given; else the selected one
     * (an overlay element made the selection, e.g. by a click with the selection tool); else the
     * topmost on the current slice.
     *
     * @throws IllegalArgumentException when there is none, naming what was looked for
     */
    public static ImageRoi selected(ImagePlus imp, String name) {
        List<ImageRoi> layers = of(imp);
        if (name != null && !name.isBlank()) {
            for (ImageRoi layer : layers) {
                if (layer.getName().equals(name)) {
                    return layer;
                }
            }
            throw new IllegalArgumentException("no fijigen layer named '" + name + "' on " + imp.getTitle());
        }
        Roi roi = imp.getRoi();
        if (roi instanceof ImageRoi active && isOurs(active)) {
            return active;
        }
        for (int i = layers.size() - 1; i >= 0; i--) {
            ImageRoi layer = layers.get(i);
            if (onCurrentSlice(imp, layer)) {
                return layer;
            }
        }
        throw new IllegalArgumentException(imp.getTitle() + " has no fijigen layer"
                + (imp.getStackSize() > 1 ? " on this slice" : ""));
    }

    private static boolean onCurrentSlice(ImagePlus imp, Roi layer) {
        if (imp.getStackSize() == 1) {
            return true;
        }
        int position = imp.isHyperStack() || imp.isComposite() ? layer.getZPosition() : layer.getPosition();
        int current = imp.isHyperStack() || imp.isComposite() ? imp.getSlice() : imp.getCurrentSlice();
        return position == 0 || position == current;
    }

    /**
     * Burns {@code layer} into {@code imp}'s pixels (the current slice of a stack) at its opacity
     * (times its alpha, where it has an alpha channel): {@code original · (1 − w) + layer · w}, the
     * layer's pixels themselves where w is 1, and takes the layer off the overlay: it is consumed,
     * so it cannot be applied twice. Pixels outside the layer keep their values. 8-, 16- and 32-bit
     * single images become RGB (through their display range, as the engine saw them). Edit › Undo
     * restores both the pixels (and the type) and the layer.
     *
     * @throws IllegalArgumentException for a stack that is not RGB (convert it first)
     */
    public static void apply(ImagePlus imp, ImageRoi layer) {
        boolean rgb = imp.getProcessor() instanceof ColorProcessor;
        if (!rgb && imp.getStackSize() > 1) {
            throw new IllegalArgumentException("Apply Layer needs an RGB image for a stack: convert " + imp.getTitle()
                    + " first (Image › Type › RGB Color)");
        }
        ColorProcessor target;
        if (rgb) {
            // FILTER's undo puts the saved overlay back, then swaps the snapshot's pixels in.
            target = (ColorProcessor) imp.getProcessor();
            target.snapshot();
            Undo.setup(Undo.FILTER, imp);
        } else {
            // A new processor of another type: Undo swaps the old one back, then the saved overlay.
            Undo.setup(Undo.TYPE_CONVERSION, imp);
            target = ImageConversion.toRgb(imp);
        }
        Undo.saveOverlay(imp);
        blend(target, layer);
        Overlay overlay = imp.getOverlay();
        overlay.remove(layer);
        imp.setOverlay(overlay.size() == 0 ? null : overlay);
        if (rgb) {
            imp.updateAndDraw();
        } else {
            imp.setProcessor(target);
        }
    }

    private static void blend(ColorProcessor target, ImageRoi layer) {
        ImageProcessor pixels = layer.getProcessor();
        boolean alpha = pixels.getColorModel() != null && pixels.getColorModel().hasAlpha();
        Rectangle bounds = layer.getBounds();
        Rectangle inside = bounds.intersection(new Rectangle(0, 0, target.getWidth(), target.getHeight()));
        for (int y = inside.y; y < inside.y + inside.height; y++) {
            for (int x = inside.x; x < inside.x + inside.width; x++) {
                int over = pixels.get(x - bounds.x, y - bounds.y);
                double weight = layer.getOpacity() * (alpha ? (over >>> 24) / 255.0 : 1);
                if (weight == 1) {
                    target.set(x, y, over & 0xffffff);
                } else if (weight > 0) {
                    target.set(x, y, mix(target.get(x, y), over, weight));
                }
            }
        }
    }

    private static int mix(int under, int over, double opacity) {
        int mixed = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            int a = under >> shift & 0xff;
            int b = over >> shift & 0xff;
            mixed |= (int) Math.round(a * (1 - opacity) + b * opacity) << shift;
        }
        return mixed;
    }

    /**
     * Removes every fijigen layer from {@code imp}'s overlay, undoably (Edit › Undo puts them back).
     *
     * @return how many were removed
     */
    public static int remove(ImagePlus imp) {
        List<ImageRoi> layers = of(imp);
        if (layers.isEmpty()) {
            return 0;
        }
        Undo.setup(Undo.OVERLAY, imp);
        Overlay overlay = imp.getOverlay();
        for (ImageRoi layer : layers) {
            overlay.remove(layer);
        }
        imp.setOverlay(overlay.size() == 0 ? null : overlay);
        return layers.size();
    }
}
