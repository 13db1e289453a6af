package io.fijigen.plugin;

import io.fijigen.plugin.ui.GreyOptions;

/**
 * What the "Inpaint Selection..." command asks for.
 *
 * @param generation the model, prompt and sampling settings
 * @param maskBlur the feather of the paste-back in pixels, 0..1024 (the selection's edge blends over
 *     this distance on both sides)
 * @param maskGrow pixels the selection is grown by first, 0..1024
 * @param onlyMasked generate only the selection's surroundings (padding included), at
 *     {@code width × height}, for detail; otherwise the selection is repainted at the image's own
 *     resolution
 * @param padding context around the selection, in pixels: what the model sees besides it
 * @param strength how much the selection changes, in (0, 1]; null: the engine's default (1, as diffusers' inpainting)
 * @param width with {@code onlyMasked}: the generation's width (multiple of 8); 0: the model's
 * @param height with {@code onlyMasked}: the generation's height; 0: the model's
 * @param grey how a grey or composite image is sent; null: {@link GreyOptions#DEFAULT}
 */
public record InpaintOptions(
        Generation generation,
        int maskBlur,
        int maskGrow,
        boolean onlyMasked,
        int padding,
        Double strength,
        int width,
        int height,
        GreyOptions grey) {

    /** The engine's limit on blur and grow. */
    public static final int MAX_RADIUS = 1024;

    public InpaintOptions {
        if (generation == null) {
            throw new IllegalArgumentException("generation settings are required");
        }
        checkRadius("mask blur", maskBlur);
        checkRadius("mask grow", maskGrow);
        checkRadius("padding", padding);
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("size: " + width + "×" + height + " must not be negative (0: default)");
        }
        if (strength != null && !(strength > 0 && strength <= 1)) {
            throw new IllegalArgumentException("strength: " + strength + " is outside (0, 1]");
        }
        grey = grey == null ? GreyOptions.DEFAULT : grey;
    }

    /** The dialog's defaults: a 4-pixel feather, 32 pixels of context, the whole-resolution mode. */
    public static InpaintOptions of(Generation generation) {
        return new InpaintOptions(generation, 4, 0, false, 32, null, 0, 0, GreyOptions.DEFAULT);
    }

    public InpaintOptions withSeed(long seed) {
        return new InpaintOptions(generation.withSeed(seed), maskBlur, maskGrow, onlyMasked, padding, strength, width,
                height, grey);
    }

    public InpaintOptions withMask(int newBlur, int newGrow) {
        return new InpaintOptions(generation, newBlur, newGrow, onlyMasked, padding, strength, width, height, grey);
    }

    public InpaintOptions withOnlyMasked(int newPadding, int newWidth, int newHeight) {
        return new InpaintOptions(generation, maskBlur, maskGrow, true, newPadding, strength, newWidth, newHeight,
                grey);
    }

    public InpaintOptions withStrength(double newStrength) {
        return new InpaintOptions(generation, maskBlur, maskGrow, onlyMasked, padding, newStrength, width, height,
                grey);
    }

    public InpaintOptions withGrey(GreyOptions newGrey) {
        return new InpaintOptions(generation, maskBlur, maskGrow, onlyMasked, padding, strength, width, height,
                newGrey);
    }

    /** How far beyond the selection pixels may change: grow, then the feather's outer half. */
    int reach() {
        return maskGrow + maskBlur;
    }

    private static void checkRadius(String name, int value) {
        if (value < 0 || value > MAX_RADIUS) {
            throw new IllegalArgumentException(name + ": " + value + " is outside 0.." + MAX_RADIUS);
        }
    }
}
