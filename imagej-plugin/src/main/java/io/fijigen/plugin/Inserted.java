package io.fijigen.plugin;

import ij.ImagePlus;
import ij.gui.ImageRoi;
import io.fijigen.proto.v1.Result;

/**
 * What a command produced and where it went: a layer on the image worked on, or a new image (a
 * stack for several variants), not yet shown.
 *
 * @param image the image holding the layer, or the new image
 * @param layer the layer added; null when the result went into a new image
 * @param result the engine's result
 * @param seed the job's seed (the drawn one when none was asked for)
 */
public record Inserted(ImagePlus image, ImageRoi layer, Result result, long seed) {
    /** Whether the result went into a new image rather than onto a layer. */
    public boolean newImage() {
        return layer == null;
    }
}
