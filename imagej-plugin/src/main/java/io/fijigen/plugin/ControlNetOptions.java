package io.fijigen.plugin;

import io.fijigen.plugin.ui.GreyOptions;
import io.fijigen.proto.client.LabelPalette;
import io.fijigen.proto.client.LineScribble;

/**
 * What "ControlNet from Image..." asks for: a new image guided by the active image (by default its
 * Canny edges), and by a second unit where one is chosen.
 *
 * @param generation the generating model, prompt and sampling settings
 * @param controlNetId the engine's ControlNet model id; required
 * @param low lower hysteresis threshold of the edge detector, 0..255·√2·4 as OpenCV takes it
 * @param high upper threshold, ≥ low
 * @param scale how strongly the control image guides (ControlNet conditioning scale), ≥ 0
 * @param guessMode guide only the prompt's half, so the edges work even with an empty prompt
 * @param grey how a grey or composite image's edges are found (on its values mapped to 8 bits), and
 *     how the result comes back to its type; null: {@link GreyOptions#DEFAULT}
 * @param source where the first unit's control image comes from; null: the Canny edges
 * @param second the second unit; null: none
 * @param lineWidth the width lines from ROIs are drawn at, 1..64 pixels
 * @param palette the colours of labels; null: ADE20K's
 */
public record ControlNetOptions(
        Generation generation, String controlNetId, double low, double high, double scale, boolean guessMode,
        GreyOptions grey, ControlSource source, SecondControlUnit second, int lineWidth, LabelPalette palette) {

    public ControlNetOptions {
        if (generation == null) {
            throw new IllegalArgumentException("generation settings are required");
        }
        if (controlNetId == null || controlNetId.isBlank()) {
            throw new IllegalArgumentException("choose a ControlNet");
        }
        if (!(low >= 0) || !(high >= low)) {
            throw new IllegalArgumentException("thresholds: need 0 ≤ low ≤ high, got low " + low + ", high " + high);
        }
        if (!(scale >= 0)) {
            throw new IllegalArgumentException("control scale: " + scale + " must be ≥ 0");
        }
        if (lineWidth < 1 || lineWidth > LineScribble.MAX_WIDTH) {
            throw new IllegalArgumentException("line width " + lineWidth + " is out of 1.." + LineScribble.MAX_WIDTH);
        }
        grey = grey == null ? GreyOptions.DEFAULT : grey;
        source = source == null ? ControlSource.CANNY : source;
        palette = palette == null ? LabelPalette.ADE20K : palette;
    }

    /** One unit guided by the Canny edges. */
    public ControlNetOptions(Generation generation, String controlNetId, double low, double high, double scale,
            boolean guessMode, GreyOptions grey) {
        this(generation, controlNetId, low, high, scale, guessMode, grey, ControlSource.CANNY, null,
                LineScribble.DEFAULT_WIDTH, LabelPalette.ADE20K);
    }

    /** The dialog's defaults: thresholds 100 and 200 (the ControlNet annotator's), scale 1. */
    public static ControlNetOptions of(Generation generation, String controlNetId) {
        return new ControlNetOptions(generation, controlNetId, 100, 200, 1.0, false, GreyOptions.DEFAULT);
    }

    public ControlNetOptions withSeed(long seed) {
        return new ControlNetOptions(generation.withSeed(seed), controlNetId, low, high, scale, guessMode, grey, source,
                second, lineWidth, palette);
    }

    public ControlNetOptions withThresholds(double newLow, double newHigh) {
        return new ControlNetOptions(generation, controlNetId, newLow, newHigh, scale, guessMode, grey, source, second,
                lineWidth, palette);
    }

    public ControlNetOptions withGrey(GreyOptions newGrey) {
        return new ControlNetOptions(generation, controlNetId, low, high, scale, guessMode, newGrey, source, second,
                lineWidth, palette);
    }

    /** These options with the first unit's control image from {@code newSource}, and {@code newSecond} (or none). */
    public ControlNetOptions withSources(ControlSource newSource, SecondControlUnit newSecond, int newLineWidth,
            LabelPalette newPalette) {
        return new ControlNetOptions(generation, controlNetId, low, high, scale, guessMode, grey, newSource, newSecond,
                newLineWidth, newPalette);
    }
}
