package io.fijigen.plugin.layers;

import ij.ImagePlus;
import ij.gui.ImageRoi;
import ij.gui.Overlay;
import ij.process.ImageProcessor;
import io.fijigen.plugin.ui.ImageConversion;
import java.awt.Rectangle;

/**
 * The engine's step previews as a layer over the region being generated, replaced at each preview
 * and removed when the job ends ({@link #close()}): a live view, not an undoable edit.
 */
public final class LivePreview implements AutoCloseable {
    /** The preview layer's name. */
    public static final String NAME = LayerInserter.NAME_PREFIX + "preview";

    private final ImagePlus imp;
    private final Rectangle region;
    private ImageRoi layer;

    /** Previews over {@code region} of {@code imp}; each preview is scaled to the region's size. */
    public LivePreview(ImagePlus imp, Rectangle region) {
        this.imp = imp;
        this.region = new Rectangle(region);
    }

    /** Shows {@code previewPng}; an empty array (a step without preview) changes nothing. */
    public void show(byte[] previewPng) {
        if (previewPng == null || previewPng.length == 0) {
            return;
        }
        ImageProcessor pixels = ImageConversion.fromPng(previewPng);
        if (pixels.getWidth() != region.width || pixels.getHeight() != region.height) {
            pixels.setInterpolationMethod(ImageProcessor.BILINEAR);
            pixels = pixels.resize(region.width, region.height);
        }
        ImageRoi next = new ImageRoi(region.x, region.y, pixels);
        next.setName(NAME);
        Overlay overlay = imp.getOverlay() != null ? imp.getOverlay() : new Overlay();
        if (layer != null) {
            overlay.remove(layer);
        }
        overlay.add(next);
        layer = next;
        imp.setOverlay(overlay);
    }

    /** The preview layer shown now, if any. */
    public ImageRoi layer() {
        return layer;
    }

    /** Removes the preview layer. */
    @Override
    public void close() {
        Overlay overlay = imp.getOverlay();
        if (layer != null && overlay != null) {
            overlay.remove(layer);
            imp.setOverlay(overlay.size() == 0 ? null : overlay);
        }
        layer = null;
    }
}
