package io.fijigen.plugin;

import io.fijigen.plugin.ui.GreyOptions;
import java.util.List;

/**
 * What "Expand Canvas..." asks for.
 *
 * @param generation the model, prompt and sampling settings
 * @param left pixels added on the left, ≥ 0 (top, right, bottom likewise); at least one side grows
 * @param fill what the new pixels hold before they are painted: {@code edge}, {@code noise} or {@code blur}
 * @param overlap pixels of the image repainted along each side that grows, 0..1024
 * @param maskBlur the feather of the paste-back in pixels, 0..1024
 * @param strength how much the border changes from its fill, in (0, 1]; null: the engine's default (1)
 * @param grey how a grey or composite image is sent; null: {@link GreyOptions#DEFAULT}
 */
public record ExpandOptions(
        Generation generation,
        int left,
        int top,
        int right,
        int bottom,
        String fill,
        int overlap,
        int maskBlur,
        Double strength,
        GreyOptions grey) {

    /** The fills, by the names the engine's command line and the README use; the first is the default. */
    public static final List<String> FILLS = List.of("edge", "noise", "blur");

    public ExpandOptions {
        if (generation == null) {
            throw new IllegalArgumentException("generation settings are required");
        }
        if (left < 0 || top < 0 || right < 0 || bottom < 0) {
            throw new IllegalArgumentException("sides: " + left + ", " + top + ", " + right + ", " + bottom
                    + " must not be negative");
        }
        if (left + top + right + bottom == 0) {
            throw new IllegalArgumentException("sides: all 0; grow at least one side");
        }
        if (!FILLS.contains(fill)) {
            throw new IllegalArgumentException("fill: '" + fill + "' is not one of " + FILLS);
        }
        if (overlap < 0 || overlap > InpaintOptions.MAX_RADIUS) {
            throw new IllegalArgumentException("overlap: " + overlap + " is outside 0.." + InpaintOptions.MAX_RADIUS);
        }
        if (maskBlur < 0 || maskBlur > InpaintOptions.MAX_RADIUS) {
            throw new IllegalArgumentException("mask blur: " + maskBlur + " is outside 0.."
                    + InpaintOptions.MAX_RADIUS);
        }
        if (strength != null && !(strength > 0 && strength <= 1)) {
            throw new IllegalArgumentException("strength: " + strength + " is outside (0, 1]");
        }
        grey = grey == null ? GreyOptions.DEFAULT : grey;
    }

    /** The dialog's defaults (the engine's): edge fill, 8 pixels of overlap, a 4-pixel feather. */
    public static ExpandOptions of(Generation generation, int left, int top, int right, int bottom) {
        return new ExpandOptions(generation, left, top, right, bottom, FILLS.get(0), 8, 4, null, GreyOptions.DEFAULT);
    }

    public ExpandOptions withSeed(long seed) {
        return new ExpandOptions(generation.withSeed(seed), left, top, right, bottom, fill, overlap, maskBlur, strength,
                grey);
    }

    public ExpandOptions withFill(String newFill, int newOverlap) {
        return new ExpandOptions(generation, left, top, right, bottom, newFill, newOverlap, maskBlur, strength, grey);
    }
}
