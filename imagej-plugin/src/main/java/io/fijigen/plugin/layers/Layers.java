package io.fijigen.plugin.layers;

import ij.ImagePlus;
import ij.Undo;
import ij.gui.ImageRoi;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import io.fijigen.plugin.ui.GreyConversion;
import io.fijigen.plugin.ui.Normalisation;
import io.fijigen.plugin.ui.ValueRange;
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
     * Burns {@code layer} into {@code imp}'s pixels (the current slice of a stack, the current channel
     * of a composite) at its opacity (times its alpha, where it has an alpha channel):
     * {@code original · (1 − w) + layer · w}, the layer's pixels themselves where w is 1, and takes the
     * layer off the overlay: it is consumed, so it cannot be applied twice. Pixels outside the layer
     * keep their values. The image keeps its type: 8- and 16-bit values are rounded (and clamped), and
     * a grey layer's values are used as they are. A layer that is a rendering of values rather than
     * values is read back through the image's display range: an RGB layer over a grey image (one made
     * before grey images went as grey: the engine's output for the image as shown) by its luma (ITU-R
     * BT.601) over 255, an 8-bit layer over a 16- or 32-bit image (a grey layer as a TIFF's overlay
     * keeps it: ImageJ saves an ImageRoi as its 8-bit picture) by its value over 255, each mapped onto
     * the display range. Edit › Undo restores both the pixels and the layer.
     *
     * @throws IllegalArgumentException for a layer of another channel than the composite's current one
     */
    public static void apply(ImagePlus imp, ImageRoi layer) {
        int channel = layer.getCPosition();
        if (imp.isComposite() && channel > 0 && channel != imp.getC()) {
            throw new IllegalArgumentException(layer.getName() + " was made from channel " + channel + " of "
                    + imp.getTitle() + ": show channel " + channel + " and apply it again");
        }
        ImageProcessor target = imp.getProcessor();
        // FILTER's undo puts the saved overlay back, then swaps the snapshot's pixels in.
        target.snapshot();
        Undo.setup(Undo.FILTER, imp);
        Undo.saveOverlay(imp);
        ByteProcessor written = blend(target, layer,
                new ValueRange(Normalisation.DISPLAY_RANGE, target.getMin(), target.getMax()));
        Overlay overlay = imp.getOverlay();
        overlay.remove(layer);
        imp.setOverlay(overlay.size() == 0 ? null : overlay);
        GeneratedPixels.add(imp, written, imp.isComposite() ? Math.max(channel, 0) : 0);
        imp.updateAndDraw();
    }

    /**
     * @param shown a grey target's display range, onto which a rendered layer's values map back
     * @return the pixels the layer generated: 255 where its alpha is not zero, or (without alpha)
     *     where the value changed
     */
    private static ByteProcessor blend(ImageProcessor target, ImageRoi layer, ValueRange shown) {
        ByteProcessor written = new ByteProcessor(target.getWidth(), target.getHeight());
        boolean rgbTarget = target instanceof ColorProcessor;
        ImageProcessor pixels = layer.getProcessor();
        if (rgbTarget && !(pixels instanceof ColorProcessor)) {
            pixels = pixels.convertToRGB();
        }
        boolean rgbLayer = pixels instanceof ColorProcessor;
        boolean rendered = pixels instanceof ByteProcessor && !(target instanceof ByteProcessor);
        boolean alpha = rgbLayer && pixels.getColorModel() != null && pixels.getColorModel().hasAlpha();
        Rectangle bounds = layer.getBounds();
        Rectangle inside = bounds.intersection(new Rectangle(0, 0, target.getWidth(), target.getHeight()));
        for (int y = inside.y; y < inside.y + inside.height; y++) {
            for (int x = inside.x; x < inside.x + inside.width; x++) {
                int over = pixels.get(x - bounds.x, y - bounds.y);
                double weight = layer.getOpacity() * (alpha ? (over >>> 24) / 255.0 : 1);
                if (weight <= 0) {
                    continue;
                }
                int beforeRgb = target.get(x, y) & 0xffffff;
                float before = target.getf(x, y);
                if (rgbTarget) {
                    target.set(x, y, weight == 1 ? over & 0xffffff : mix(target.get(x, y), over, weight));
                } else {
                    double value = rgbLayer ? shown.fromUnit(luma(over) / 255)
                            : rendered ? shown.fromUnit(over / 255.0) : pixels.getf(x - bounds.x, y - bounds.y);
                    GreyConversion.store(target, x, y, weight == 1 ? value : target.getf(x, y) * (1 - weight)
                            + value * weight);
                }
                boolean changed = rgbTarget ? (target.get(x, y) & 0xffffff) != beforeRgb : target.getf(x, y) != before;
                if (alpha || changed) {
                    written.set(x, y, 255);
                }
            }
        }
        return written;
    }

    private static double luma(int rgb) {
        return GreyConversion.luma(rgb >> 16 & 0xff, rgb >> 8 & 0xff, rgb & 0xff);
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
