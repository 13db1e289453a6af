package io.fijigen.plugin;

import java.util.List;

/**
 * An "Expand Canvas..." preset: a share of the image's width (left and right) or height (top and
 * bottom) on the chosen sides, rounded to whole pixels.
 *
 * @param percent the share, e.g. 25
 * @param sides which sides grow, one of {@link #SIDES}
 */
public record CanvasPreset(int percent, String sides) {
    /** The presets the dialog offers besides typed pixels. */
    public static final List<Integer> PERCENTS = List.of(10, 25, 50);
    public static final List<String> SIDES = List.of("all", "left and right", "top and bottom", "left", "top",
            "right", "bottom");

    public CanvasPreset {
        if (!PERCENTS.contains(percent)) {
            throw new IllegalArgumentException("preset: " + percent + " % is not one of " + PERCENTS);
        }
        if (!SIDES.contains(sides)) {
            throw new IllegalArgumentException("sides: '" + sides + "' is not one of " + SIDES);
        }
    }

    /** Left, top, right and bottom in pixels for an image {@code width} × {@code height}. */
    public int[] pixels(int width, int height) {
        int across = Math.round(width * percent / 100f);
        int down = Math.round(height * percent / 100f);
        boolean all = sides.equals("all");
        return new int[] {
            all || sides.contains("left") ? across : 0,
            all || sides.contains("top") ? down : 0,
            all || sides.contains("right") ? across : 0,
            all || sides.contains("bottom") ? down : 0};
    }
}
