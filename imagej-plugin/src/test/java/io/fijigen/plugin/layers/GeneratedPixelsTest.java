package io.fijigen.plugin.layers;

import static org.assertj.core.api.Assertions.assertThat;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.ImageRoi;
import ij.gui.Roi;
import ij.process.ColorProcessor;
import ij.process.ShortProcessor;
import io.fijigen.plugin.TestImages;
import java.awt.Rectangle;
import org.junit.jupiter.api.Test;

class GeneratedPixelsTest {

    @Test
    void applyingAnRgbLayerMarksWhereItsAlphaIsNotZero() {
        ImagePlus imp = TestImages.gradient(32, 32);
        int[] argb = new int[16 * 16];
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                // Opaque on the left half of the layer only.
                argb[y * 16 + x] = (x < 8 ? 0xff000000 : 0) | 0x00ff00;
            }
        }
        ColorProcessor pixels = new ColorProcessor(16, 16, argb);
        pixels.setColorModel(LayerInserter.ARGB);
        ImageRoi layer = LayerInserter.insert(imp, pixels, 4, 6, "p", 1, null);

        Layers.apply(imp, layer);

        assertThat(GeneratedPixels.of(imp)).singleElement().satisfies(roi -> {
            assertThat(roi.getName()).isEqualTo("[fijigen] generated");
            assertThat(roi.getBounds()).isEqualTo(new Rectangle(4, 6, 8, 16));
        });
        // Edit › Undo takes it back with the pixels.
        TestImages.undo(imp);
        assertThat(GeneratedPixels.of(imp)).isEmpty();
    }

    @Test
    void aGreyLayerWithoutAlphaMarksTheValuesItChangedAndAppliesOnOnePlaneUnite() {
        ImageStack stack = new ImageStack(20, 20);
        stack.addSlice(new ShortProcessor(20, 20));
        stack.addSlice(new ShortProcessor(20, 20));
        ImagePlus imp = new ImagePlus("stack", stack);
        imp.setSlice(2);
        for (Rectangle block : new Rectangle[] {new Rectangle(2, 2, 4, 4), new Rectangle(10, 12, 3, 5)}) {
            ShortProcessor values = new ShortProcessor(20, 20);
            values.setRoi(block);
            values.setValue(1000);
            values.fill();
            values.resetRoi();
            Layers.apply(imp, LayerInserter.insert(imp, values, 0, 0, "p", 1, null));
        }

        Roi generated = GeneratedPixels.of(imp).get(0);
        assertThat(GeneratedPixels.of(imp)).hasSize(1);
        assertThat(generated.getPosition()).isEqualTo(2);
        assertThat(generated.getBounds()).isEqualTo(new Rectangle(2, 2, 11, 15));
        assertThat(generated.contains(3, 3)).isTrue();
        assertThat(generated.contains(11, 13)).isTrue();
        assertThat(generated.contains(8, 8)).isFalse();
    }

    @Test
    void aNewImageIsGeneratedThroughout() {
        ImagePlus imp = new ImagePlus("new", new ColorProcessor(24, 16));

        GeneratedPixels.all(imp);

        assertThat(GeneratedPixels.of(imp)).singleElement()
                .satisfies(roi -> assertThat(roi.getBounds()).isEqualTo(new Rectangle(0, 0, 24, 16)));
    }
}
