package io.fijigen.plugin;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ImageProcessor;
import io.fijigen.plugin.client.EngineException;
import io.fijigen.plugin.layers.GeneratedPixels;
import io.fijigen.plugin.layers.LayerInserter;
import io.fijigen.plugin.ui.ImageConversion;
import io.fijigen.plugin.ui.SourceImage;
import io.fijigen.proto.v1.Result;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;

/** The engine's results as ImageJ images. */
final class Results {
    private Results() {}

    /**
     * The result's images, at least one: decoded from its PNGs, or, for a grey {@code source} (null:
     * none), from its float output in the source's type, LUT and display range.
     */
    static List<ImageProcessor> pixels(Result result, SourceImage source) throws EngineException {
        if (result.getImagesCount() == 0) {
            throw new EngineException(Status.Code.INTERNAL, "the engine returned no image", null);
        }
        boolean grey = source != null && source.grey();
        if (grey && !result.hasPixels()) {
            throw new EngineException(Status.Code.INTERNAL, "the engine returned no float pixels for a grey image"
                    + " (an engine older than the plugin?)", null);
        }
        List<ImageProcessor> images = new ArrayList<>();
        for (int i = 0; i < result.getImagesCount(); i++) {
            images.add(grey ? source.fromPixels(result.getPixels(), i)
                    : ImageConversion.fromPng(result.getImages(i).getPng().toByteArray()));
        }
        return images;
    }

    /** The job's seed: the result's, else the one asked for, else -1. */
    static long seed(Result result, Long requested) {
        return result.getSeedsCount() > 0 ? result.getSeeds(0) : requested != null ? requested : -1;
    }

    /**
     * A new image holding {@code images}, titled after the layer name: one image, or a stack whose
     * slices are labelled with the seed and the variant's number. The parameters go into the Info
     * (Image › Show Info) and the property {@link LayerInserter#PARAMETERS_PROPERTY}.
     */
    static ImagePlus newImage(List<ImageProcessor> images, String prompt, long seed, String parameters) {
        String title = LayerInserter.layerName(prompt, seed);
        ImagePlus imp;
        if (images.size() == 1) {
            imp = new ImagePlus(title, images.get(0));
        } else {
            ImageStack stack = new ImageStack(images.get(0).getWidth(), images.get(0).getHeight());
            for (int i = 0; i < images.size(); i++) {
                stack.addSlice(variantLabel(seed, i, images.size()), images.get(i));
            }
            imp = new ImagePlus(title, stack);
        }
        GeneratedPixels.all(imp);
        imp.setProp(LayerInserter.PARAMETERS_PROPERTY, parameters);
        imp.setProperty("Info", parameters);
        return imp;
    }

    /**
     * A variant's slice label. The engine draws a job's variants from one generator, so they share
     * the seed: the number tells them apart ({@code seed 42 · 2/4} is the second of four).
     */
    static String variantLabel(long seed, int index, int count) {
        return "seed " + seed + " · " + (index + 1) + "/" + count;
    }
}
