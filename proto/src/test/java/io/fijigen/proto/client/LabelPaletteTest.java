package io.fijigen.proto.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ShortProcessor;
import org.junit.jupiter.api.Test;

class LabelPaletteTest {
    /** Labels 0, 1, 2 and 150: black, then ADE20K's classes 0 (wall), 1 (building) and 149 (flag). */
    @Test
    void ade20kColoursLabelKAsClassKMinusOne() {
        ByteProcessor labels = new ByteProcessor(4, 1, new byte[] {0, 1, 2, (byte) 150});

        ColorProcessor rgb = LabelPalette.ADE20K.render(labels);

        assertThat(rgb.get(0, 0) & 0xffffff).isEqualTo(0x000000);
        assertThat(rgb.get(1, 0) & 0xffffff).isEqualTo(120 << 16 | 120 << 8 | 120);
        assertThat(rgb.get(2, 0) & 0xffffff).isEqualTo(180 << 16 | 120 << 8 | 120);
        assertThat(rgb.get(3, 0) & 0xffffff).isEqualTo(92 << 16 | 0 << 8 | 255);
    }

    @Test
    void sixteenAndThirtyTwoBitLabelsColourAlike() {
        ColorProcessor fromShorts = LabelPalette.ADE20K.render(new ShortProcessor(2, 1, new short[] {0, 150}, null));
        ColorProcessor fromFloats = LabelPalette.ADE20K.render(new FloatProcessor(2, 1, new float[] {0, 150}));

        assertThat((int[]) fromFloats.getPixels()).containsExactly((int[]) fromShorts.getPixels());
        assertThat(fromShorts.get(1, 0) & 0xffffff).isEqualTo(92 << 16 | 255);
    }

    @Test
    void labelPastTheAde20kPaletteIsRefusedNamingIt() {
        ShortProcessor labels = new ShortProcessor(3, 2);
        labels.set(2, 1, 151);

        assertThatThrownBy(() -> LabelPalette.ADE20K.render(labels))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label 151 is past the ade20k palette's 150 labels")
                .hasMessageContaining("pixel (2, 1)");
    }

    @Test
    void fractionalLabelIsRefused() {
        assertThatThrownBy(() -> LabelPalette.DISTINCT.render(new FloatProcessor(1, 1, new float[] {2.5f})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label 2.5 at pixel (0, 0) is not a whole number");
    }

    @Test
    void rgbImageIsRefused() {
        assertThatThrownBy(() -> LabelPalette.DISTINCT.render(new ColorProcessor(2, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the label image is RGB");
    }

    /**
     * Hues (k − 1) · 137.50776405°: label 1 at 0° is red; label 2 at 137.5° is in sector 2 (green
     * to cyan), blue rising to round(255 · 0.29180) = 74; label 3 at 275.0° is in sector 4 (blue
     * to magenta), red rising to round(255 · 0.58359) = 149.
     */
    @Test
    void distinctPaletteFollowsTheGoldenAngle() {
        assertThat(LabelPalette.DISTINCT.rgb(0)).isEqualTo(0x000000);
        assertThat(LabelPalette.DISTINCT.rgb(1)).isEqualTo(255 << 16);
        assertThat(LabelPalette.DISTINCT.rgb(2)).isEqualTo(255 << 8 | 74);
        assertThat(LabelPalette.DISTINCT.rgb(3)).isEqualTo(149 << 16 | 255);
        assertThat(LabelPalette.DISTINCT.rgb(65535)).isNotZero();
    }

    @Test
    void palettesByName() {
        assertThat(LabelPalette.named("ade20k")).isEqualTo(LabelPalette.ADE20K);
        assertThat(LabelPalette.named("Distinct")).isEqualTo(LabelPalette.DISTINCT);
        assertThatThrownBy(() -> LabelPalette.named("cityscapes"))
                .hasMessageContaining("palette 'cityscapes' is not one of ade20k, distinct");
    }
}
