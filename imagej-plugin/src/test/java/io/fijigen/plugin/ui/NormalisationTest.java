package io.fijigen.plugin.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ij.process.FloatProcessor;
import ij.process.ShortProcessor;
import org.junit.jupiter.api.Test;

/** The normalisation rules resolved for an image, checked against values computed by hand. */
class NormalisationTest {

    /** 10, 40, 20 / 30, 50, 60: sorted 10..60 in steps of 10, n = 6. */
    static ShortProcessor sixValues() {
        return new ShortProcessor(3, 2, new short[] {10, 40, 20, 30, 50, 60}, null);
    }

    /** numpy.percentile([10, 20, 30, 40, 50, 60], [1, 50, 99.8]) = [10.5, 35, 59.9] (linear method). */
    @Test
    void percentilesAreNumpysLinearInterpolation() {
        ValueRange range = Normalisation.percentiles(1, 99.8).resolve(sixValues(), 0, 65535);
        // 1 %: index 0.01 · 5 = 0.05, 10 + 0.05 · 10; 99.8 %: index 4.99, 50 + 0.99 · 10.
        assertThat(range.lo()).isCloseTo(10.5, within(1e-9));
        assertThat(range.hi()).isCloseTo(59.9, within(1e-9));
        ValueRange median = Normalisation.percentiles(50, 100).resolve(sixValues(), 0, 65535);
        assertThat(median.lo()).isEqualTo(35);
        assertThat(median.hi()).isEqualTo(60);
        assertThat(Normalisation.percentiles(0, 100).resolve(sixValues(), 0, 65535))
                .isEqualTo(new ValueRange(Normalisation.percentiles(0, 100), 10, 60));
    }

    @Test
    void nanPixelsAreLeftOutAsNanpercentileDoes() {
        FloatProcessor ip = new FloatProcessor(4, 1, new float[] {Float.NaN, 3, 1, 2});
        ValueRange range = Normalisation.percentiles(50, 100).resolve(ip, 0, 1);
        assertThat(range.lo()).isEqualTo(2);
        assertThat(range.hi()).isEqualTo(3);
        assertThatThrownBy(() -> Normalisation.percentiles(1, 99).resolve(new FloatProcessor(1, 1,
                new float[] {Float.NaN}), 0, 1)).hasMessageContaining("every pixel is NaN");
    }

    @Test
    void theDisplayRangeIsTakenAsItIs() {
        assertThat(Normalisation.DISPLAY_RANGE.resolve(sixValues(), 15, 45))
                .isEqualTo(new ValueRange(Normalisation.DISPLAY_RANGE, 15, 45));
    }

    @Test
    void theParametersLineNamesTheRuleAndItsValues() {
        assertThat(Normalisation.percentiles(50, 100).resolve(sixValues(), 0, 1).parametersLine())
                .isEqualTo("Normalisation: percentiles 50 to 100 % = 35.0 to 60.0");
        // The values as used, to the last digit: 50 + 0.99 · 10 is 59.900000000000006 in doubles.
        assertThat(Normalisation.percentiles(1, 99.8).resolve(sixValues(), 0, 1).parametersLine())
                .startsWith("Normalisation: percentiles 1 to 99.8 % = 10.5 to 59.9");
        assertThat(Normalisation.DISPLAY_RANGE.resolve(sixValues(), 103, 2871).parametersLine())
                .isEqualTo("Normalisation: display range = 103.0 to 2871.0");
    }

    @Test
    void aFlatImageMapsToZeroAndBackToItsValue() {
        ValueRange flat = Normalisation.percentiles(1, 99.8).resolve(new ShortProcessor(4, 4), 0, 1);
        assertThat(flat.lo()).isZero();
        assertThat(flat.hi()).isZero();
        assertThat(flat.toUnit(0)).isZero();
        assertThat(flat.fromUnit(flat.toUnit(0))).isZero();
    }

    @Test
    void wrongPercentilesAndLabelsAreNamed() {
        assertThatThrownBy(() -> Normalisation.percentiles(99.8, 1))
                .hasMessage("percentiles: need 0 ≤ lower < upper ≤ 100, got lower 99.8, upper 1");
        assertThatThrownBy(() -> Normalisation.percentiles(1, 101)).hasMessageContaining("upper 101");
        assertThatThrownBy(() -> GreyOptions.of("histogram", 1, 99.8, GreyOptions.RGB_RENDERING))
                .hasMessage("normalisation: 'histogram' is none of display range, percentiles");
        assertThatThrownBy(() -> GreyOptions.of("percentiles", 1, 99.8, "all channels"))
                .hasMessage("composite: 'all channels' is neither 'RGB rendering' nor 'channel as grey'");
        // The display range does not read the percentile fields, so it does not check them either.
        assertThat(GreyOptions.of("display range", 50, 20, "channel as grey"))
                .isEqualTo(new GreyOptions(new Normalisation(Normalisation.Rule.DISPLAY_RANGE, 50, 20), true));
    }
}
