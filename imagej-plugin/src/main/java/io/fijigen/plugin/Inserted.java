package io.fijigen.plugin;

import ij.ImagePlus;
import ij.gui.ImageRoi;
import ij.process.ImageProcessor;
import io.fijigen.proto.v1.Result;
import java.util.ArrayList;
import java.util.List;

/**
 * What a command produced and where it went: a layer on the image worked on, or a new image (a
 * stack for several variants), not yet shown.
 *
 * @param image the image holding the layer, or the new image
 * @param layer the layer added; null when the result went into a new image
 * @param result the engine's result
 * @param seed the job's seed (the drawn one when none was asked for)
 * @param statistics the variants' per-pixel statistics ({@link SeedStatistics}), a new image not yet
 *     shown; null when not asked for
 */
public record Inserted(ImagePlus image, ImageRoi layer, Result result, long seed, ImagePlus statistics) {

    public Inserted(ImagePlus image, ImageRoi layer, Result result, long seed) {
        this(image, layer, result, seed, null);
    }

    /** Variants in a new image, with their statistics when {@code generation} asks for them. */
    static Inserted variants(ImagePlus variants, Result result, long seed, Generation generation,
            boolean disagreement) {
        ImagePlus statistics = null;
        if (generation.statistics()) {
            List<ImageProcessor> images = new ArrayList<>();
            for (int i = 1; i <= variants.getStackSize(); i++) {
                images.add(variants.getStack().getProcessor(i));
            }
            statistics = SeedStatistics.image(images, disagreement, variants.getTitle());
            statistics.setCalibration(variants.getCalibration());
        }
        return new Inserted(variants, null, result, seed, statistics);
    }

    /** Whether the result went into a new image rather than onto a layer. */
    public boolean newImage() {
        return layer == null;
    }
}
