package io.fijigen.plugin.layers;

import ij.ImagePlus;
import ij.gui.ImageRoi;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.process.ByteProcessor;
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
    /** Where previews show, as {@code imp}'s selection mask; null: the whole region. */
    private final ImageProcessor clip;
    private ImageRoi layer;

    /**
     * Previews over {@code region} of {@code imp}; each preview is scaled to the region's size and
     * shown only inside {@code selection} (null: the whole region), so the image around the
     * selection stays visible as it is.
     */
    public LivePreview(ImagePlus imp, Rectangle region, Roi selection) {
        this.imp = imp;
        this.region = new Rectangle(region);
        if (selection == null) {
            clip = null;
        } else {
            ImagePlus masked = new ImagePlus("", new ByteProcessor(imp.getWidth(), imp.getHeight()));
            masked.setRoi((Roi) selection.clone());
            clip = masked.createRoiMask();
        }
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
        ImageRoi next = new ImageRoi(region.x, region.y, clip == null ? pixels : clipped(pixels.convertToRGB()));
        next.setName(NAME);
        Overlay overlay = imp.getOverlay() != null ? imp.getOverlay() : new Overlay();
        if (layer != null) {
            overlay.remove(layer);
        }
        overlay.add(next);
        layer = next;
        imp.setOverlay(overlay);
    }

    private ImageProcessor clipped(ImageProcessor rgb) {
        int[] argb = (int[]) rgb.getPixels();
        for (int y = 0; y < region.height; y++) {
            for (int x = 0; x < region.width; x++) {
                boolean inside = clip.get(region.x + x, region.y + y) != 0;
                argb[y * region.width + x] = inside ? 0xff000000 | argb[y * region.width + x] : 0;
            }
        }
        rgb.setColorModel(LayerInserter.ARGB);
        return rgb;
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
