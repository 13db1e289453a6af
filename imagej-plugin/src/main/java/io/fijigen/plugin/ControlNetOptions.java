package io.fijigen.plugin;

import io.fijigen.plugin.ui.GreyOptions;

/**
 * What "ControlNet from Image..." asks for: a new image guided by the active image's Canny edges.
 *
 * @param generation the generating model, prompt and sampling settings
 * @param controlNetId the engine's canny ControlNet model id; required
 * @param low lower hysteresis threshold of the edge detector, 0..255·√2·4 as OpenCV takes it
 * @param high upper threshold, ≥ low
 * @param scale how strongly the edges guide (ControlNet conditioning scale), ≥ 0
 * @param guessMode guide only the prompt's half, so the edges work even with an empty prompt
 * @param grey how a grey or composite image's edges are found (on its values mapped to 8 bits), and
 *     how the result comes back to its type; null: {@link GreyOptions#DEFAULT}
 */
public record ControlNetOptions(
        Generation generation, String controlNetId, double low, double high, double scale, boolean guessMode,
        GreyOptions grey) {

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
        grey = grey == null ? GreyOptions.DEFAULT : grey;
    }

    /** The dialog's defaults: thresholds 100 and 200 (the ControlNet annotator's), scale 1. */
    public static ControlNetOptions of(Generation generation, String controlNetId) {
        return new ControlNetOptions(generation, controlNetId, 100, 200, 1.0, false, GreyOptions.DEFAULT);
    }

    public ControlNetOptions withSeed(long seed) {
        return new ControlNetOptions(generation.withSeed(seed), controlNetId, low, high, scale, guessMode, grey);
    }

    public ControlNetOptions withThresholds(double newLow, double newHigh) {
        return new ControlNetOptions(generation, controlNetId, newLow, newHigh, scale, guessMode, grey);
    }

    public ControlNetOptions withGrey(GreyOptions newGrey) {
        return new ControlNetOptions(generation, controlNetId, low, high, scale, guessMode, newGrey);
    }
}
