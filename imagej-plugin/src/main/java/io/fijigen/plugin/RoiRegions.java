package io.fijigen.plugin;

import com.google.protobuf.ByteString;
import ij.gui.Roi;
import ij.plugin.frame.RoiManager;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import io.fijigen.plugin.ui.ImageConversion;
import io.fijigen.proto.v1.Region;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Regional prompts from ROIs: every ROI whose name starts with {@code prompt:} is a region, its
 * prompt the rest of the name, an optional weight after a last {@code @}: {@code prompt: a red
 * apple @1.5}. Its mask is the ROI filled (white on black) on the image it was drawn on, scaled to
 * the generated image's size. Other ROIs are not regions.
 */
public final class RoiRegions {
    public static final String PREFIX = "prompt:";

    private RoiRegions() {}

    /** The ROI Manager's ROIs, regions or not, in its order; none without a ROI Manager. */
    public static Roi[] inRoiManager() {
        RoiManager manager = RoiManager.getInstance();
        return manager == null ? new Roi[0] : manager.getRoisAsArray();
    }

    /** The ROIs that are regions, in their order. */
    public static List<Roi> named(Roi[] rois) {
        List<Roi> regions = new ArrayList<>();
        for (Roi roi : rois) {
            if (roi.getName() != null && roi.getName().strip().toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
                regions.add(roi);
            }
        }
        return regions;
    }

    /** The regions of {@code rois} (each named {@code prompt: …}), masks at {@code width}×{@code height}. */
    public static List<Region> of(List<Roi> rois, int width, int height) {
        return of(rois, width, height, width, height);
    }

    /**
     * The regions of {@code rois} drawn on a {@code drawnWidth}×{@code drawnHeight} image, masks at
     * {@code width}×{@code height}: filled where they were drawn, then scaled to the generated size
     * (averaging when smaller, as the engine averages masks to each layer's grid anyway).
     */
    public static List<Region> of(List<Roi> rois, int drawnWidth, int drawnHeight, int width, int height) {
        List<Region> regions = new ArrayList<>();
        for (Roi roi : rois) {
            ColorProcessor mask = new ColorProcessor(drawnWidth, drawnHeight);
            mask.setColor(0xffffff);
            mask.fill(roi);
            if (drawnWidth != width || drawnHeight != height) {
                mask.setInterpolationMethod(ImageProcessor.BILINEAR);
                mask = (ColorProcessor) mask.resize(width, height, true);
            }
            Region.Builder region = parse(roi.getName()).setMask(ByteString.copyFrom(ImageConversion.toPng(mask)));
            regions.add(region.build());
        }
        return regions;
    }

    /** {@code prompt: TEXT [@WEIGHT]}: the weight only where what follows the last @ is a number. */
    static Region.Builder parse(String name) {
        String text = name.strip().substring(PREFIX.length()).strip();
        int at = text.lastIndexOf('@');
        if (at >= 0) {
            try {
                double weight = Double.parseDouble(text.substring(at + 1).strip());
                return Region.newBuilder().setPrompt(text.substring(0, at).strip()).setWeight(weight);
            } catch (NumberFormatException e) {
                // No weight: the @ is part of the prompt.
            }
        }
        return Region.newBuilder().setPrompt(text);
    }
}
