package io.fijigen.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ij.ImageStack;
import ij.process.ColorProcessor;
import ij.process.ShortProcessor;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeedStatisticsTest {

    @Test
    void greyVariantsGiveTheMeanAndTheSampleStandardDeviation() {
        // One pixel whose values are 2, 4, 4, 6 over four variants: mean 4, sample sd sqrt(8/3).
        List<ShortProcessor> variants = List.of(grey(2), grey(4), grey(4), grey(6));

        ImageStack stack = SeedStatistics.of(variants, false);

        assertThat(stack.getSize()).isEqualTo(2);
        assertThat(stack.getSliceLabel(1)).isEqualTo("mean");
        assertThat(stack.getSliceLabel(2)).isEqualTo("standard deviation");
        assertThat(stack.getProcessor(1).getf(1, 0)).isEqualTo(4f);
        assertThat((double) stack.getProcessor(2).getf(1, 0)).isCloseTo(Math.sqrt(8.0 / 3), within(1e-6));
        // The other pixel is 100 in every variant: no spread.
        assertThat(stack.getProcessor(1).getf(0, 0)).isEqualTo(100f);
        assertThat(stack.getProcessor(2).getf(0, 0)).isEqualTo(0f);
    }

    @Test
    void rgbVariantsGiveStatisticsPerChannelAndTheDisagreementMap() {
        List<ColorProcessor> variants = List.of(rgb(0x102030), rgb(0x302030), rgb(0x106030));

        ImageStack stack = SeedStatistics.of(variants, true);

        assertThat(stack.getSliceLabels()).startsWith("mean red", "mean green", "mean blue", "standard deviation red",
                "standard deviation green", "standard deviation blue", "disagreement");
        // Red 16, 48, 16: mean 80/3, sd sqrt(((−32/3)² · 2 + (64/3)²) / 2) = sqrt(1024/3).
        assertThat((double) stack.getProcessor(1).getf(0, 0)).isCloseTo(80.0 / 3, within(1e-4));
        assertThat((double) stack.getProcessor(4).getf(0, 0)).isCloseTo(Math.sqrt(1024.0 / 3), within(1e-4));
        // Green 32, 32, 96: the same spread; blue 48 throughout: none.
        assertThat((double) stack.getProcessor(5).getf(0, 0)).isCloseTo(Math.sqrt(4096.0 / 3), within(1e-3));
        assertThat(stack.getProcessor(6).getf(0, 0)).isEqualTo(0f);
        double rms = Math.sqrt((1024.0 / 3 + 4096.0 / 3) / 3);
        assertThat((double) stack.getProcessor(7).getf(0, 0)).isCloseTo(rms, within(1e-3));
    }

    @Test
    void oneImageOrMixedSizesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> SeedStatistics.of(List.of(grey(1)), false))
                .hasMessageContaining("at least 2 images").hasMessageContaining("Images");
        assertThatThrownBy(() -> SeedStatistics.of(List.of(grey(1), new ShortProcessor(3, 1)), false))
                .hasMessageContaining("differ in size");
    }

    private static ShortProcessor grey(int value) {
        ShortProcessor ip = new ShortProcessor(2, 1);
        ip.set(0, 0, 100);
        ip.set(1, 0, value);
        return ip;
    }

    private static ColorProcessor rgb(int value) {
        ColorProcessor ip = new ColorProcessor(1, 1);
        ip.set(0, 0, value);
        return ip;
    }
}
