package io.fijigen.plugin.ui;

/**
 * A {@link Normalisation} resolved for one slice: the grey value {@code lo} maps to the engine's 0
 * and {@code hi} to its 1. Values outside lo..hi clip to 0 and 1 on the way to the engine, so they
 * come back as lo and hi.
 *
 * @param normalisation the rule these values come from
 * @param lo the value that maps to 0
 * @param hi the value that maps to 1, ≥ lo
 */
public record ValueRange(Normalisation normalisation, double lo, double hi) {

    public ValueRange {
        if (!(hi >= lo)) {
            throw new IllegalArgumentException("value range " + lo + "–" + hi + ": the top is below the bottom");
        }
    }

    /**
     * {@code value} as the engine takes it: (value − lo) / (hi − lo), clipped to [0, 1]. A flat image
     * (lo = hi, e.g. percentiles of a constant image) maps to 0 throughout, as CSBDeep's epsilon does.
     */
    public double toUnit(double value) {
        if (hi == lo) {
            return 0;
        }
        return Math.max(0, Math.min(1, (value - lo) / (hi - lo)));
    }

    /** The grey value of the engine's {@code unit} in [0, 1]: lo + unit · (hi − lo). */
    public double fromUnit(double unit) {
        return lo + unit * (hi - lo);
    }

    /**
     * The line the parameters text records it with: {@code Normalisation: percentiles 1 to 99.8 % =
     * 103.0 to 2871.0}; ASCII, as ImageJ's TIFF writer keeps only Latin-1 in an image's Info.
     */
    public String parametersLine() {
        return "Normalisation: " + normalisation.describe() + " = " + lo + " to " + hi;
    }
}
