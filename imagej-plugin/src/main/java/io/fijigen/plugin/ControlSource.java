package io.fijigen.plugin;

import ij.ImagePlus;

/**
 * Where a ControlNet unit's control image comes from: the image's Canny edges, the image itself
 * (a tile, depth, normal or segmentation map the user already has), its line selections drawn
 * white on black (scribble), or its values as labels in a palette (segmentation).
 *
 * @param kind what is made of the image
 * @param image the image it is made of; null: the image the command runs on. Another image must
 *     be at least as large: the same top-left region is taken from it
 */
public record ControlSource(Kind kind, ImagePlus image) {
    public enum Kind {
        /** The engine's Canny edges of the image, with the command's thresholds. */
        CANNY,
        /** The image's pixels as they are (a grey image's values at 8 bits). */
        IMAGE,
        /** The image's line selection and the ROI Manager's line ROIs, white on black. */
        LINES,
        /** The image's values as labels, in the command's palette. */
        LABELS
    }

    public static final ControlSource CANNY = new ControlSource(Kind.CANNY, null);

    public ControlSource {
        if (kind == null) {
            throw new IllegalArgumentException("a control source is required");
        }
    }

    /** {@code kind} made of the image the command runs on. */
    public static ControlSource of(Kind kind) {
        return new ControlSource(kind, null);
    }

    /** The image this source is made of, {@code imp} unless another was named. */
    ImagePlus imageOr(ImagePlus imp) {
        return image == null ? imp : image;
    }
}
