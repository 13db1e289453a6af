package io.fijigen.plugin.ui;

import ij.process.ImageProcessor;
import java.util.Arrays;

/**
 * The rule that maps a grey image's values to the engine's 0..1 and its results back: the image's
 * display range, or percentiles of its values (CSBDeep's {@code normalize}, 1 and 99.8 % by
 * default). {@link #resolve} turns the rule into the two values, for one slice, that map to 0 and 1.
 *
 * @param rule display range or percentiles
 * @param lower with percentiles: the percentile that maps to 0, in [0, upper)
 * @param upper with percentiles: the percentile that maps to 1, in (lower, 100]
 */
public record Normalisation(Rule rule, double lower, double upper) {

    /** What the values 0 and 1 are taken from; the label is the dialog's and the macro's word. */
    public enum Rule implements Labelled {
        DISPLAY_RANGE("display range"),
        PERCENTILES("percentiles");

        private final String label;

        Rule(String label) {
            this.label = label;
        }

        @Override
        public String label() {
            return label;
        }

        /** @throws IllegalArgumentException naming the labels there are */
        public static Rule of(String label) {
            return Labelled.of(Rule.class, "normalisation", label);
        }
    }

    /** CSBDeep's defaults ({@code normalize(x, pmin=1, pmax=99.8)}). */
    public static final double DEFAULT_LOWER = 1;
    public static final double DEFAULT_UPPER = 99.8;
    /** As ImageJ shows the image: its display range maps to 0..1. */
    public static final Normalisation DISPLAY_RANGE = new Normalisation(Rule.DISPLAY_RANGE, DEFAULT_LOWER,
            DEFAULT_UPPER);

    public Normalisation {
        if (rule == null) {
            throw new IllegalArgumentException("choose a normalisation");
        }
        // The percentile fields are there whatever the rule: only the rule that reads them checks them.
        if (rule == Rule.PERCENTILES && !(lower >= 0 && lower < upper && upper <= 100)) {
            throw new IllegalArgumentException("percentiles: need 0 ≤ lower < upper ≤ 100, got lower " + number(lower)
                    + ", upper " + number(upper));
        }
    }

    public static Normalisation percentiles(double lower, double upper) {
        return new Normalisation(Rule.PERCENTILES, lower, upper);
    }

    /**
     * The rule for one slice: the display range {@code displayMin..displayMax}, or the percentiles of
     * every value of {@code pixels}, computed as numpy's {@code percentile} with its default linear
     * interpolation (between the two sorted values around {@code p/100 · (n − 1)}); NaN pixels of a
     * 32-bit image are left out, as {@code nanpercentile} does.
     *
     * @throws IllegalArgumentException for percentiles of an image that is NaN throughout
     */
    public ValueRange resolve(ImageProcessor pixels, double displayMin, double displayMax) {
        if (rule == Rule.DISPLAY_RANGE) {
            return new ValueRange(this, displayMin, displayMax);
        }
        float[] sorted = sortedValues(pixels);
        if (sorted.length == 0) {
            throw new IllegalArgumentException("percentiles: every pixel is NaN; choose the display range instead");
        }
        return new ValueRange(this, percentile(sorted, lower), percentile(sorted, upper));
    }

    private static float[] sortedValues(ImageProcessor pixels) {
        int count = pixels.getPixelCount();
        float[] values = new float[count];
        int kept = 0;
        for (int i = 0; i < count; i++) {
            float value = pixels.getf(i);
            if (!Float.isNaN(value)) {
                values[kept++] = value;
            }
        }
        float[] sorted = kept == count ? values : Arrays.copyOf(values, kept);
        Arrays.sort(sorted);
        return sorted;
    }

    /** The {@code p}-th percentile of {@code sorted} (ascending, not empty), numpy's linear method. */
    static double percentile(float[] sorted, double p) {
        double at = p / 100 * (sorted.length - 1);
        int below = (int) Math.floor(at);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (at - below) * ((double) sorted[above] - sorted[below]);
    }

    /** As the parameters text names the rule: {@code display range}, {@code percentiles 1 to 99.8 %}. */
    String describe() {
        if (rule == Rule.DISPLAY_RANGE) {
            return rule.label;
        }
        return rule.label + " " + number(lower) + " to " + number(upper) + " %";
    }

    /** A whole number without its ".0". */
    static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value);
    }
}
