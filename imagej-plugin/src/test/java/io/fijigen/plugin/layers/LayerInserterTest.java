package io.fijigen.plugin.layers;

import static org.assertj.core.api.Assertions.assertThat;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.ImageRoi;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import io.fijigen.plugin.TestImages;
import org.junit.jupiter.api.Test;

class LayerInserterTest {

    @Test
    void longPromptsAreCutToTheirFirstWordsInTheNameOnly() {
        String name = LayerInserter.layerName("a dividing HeLa cell in metaphase, fluorescence microscopy, 8k", 42);
        assertThat(name).isEqualTo("[fijigen] a dividing HeLa cell in… · seed 42");
        assertThat(LayerInserter.layerName("x".repeat(100), 7)).isEqualTo("[fijigen] " + "x".repeat(31) + "… · seed 7");
        assertThat(LayerInserter.layerName("  two\n lines ", 1)).isEqualTo("[fijigen] two lines · seed 1");
    }

    @Test
    void addsToAnExistingOverlayAndUndoRemovesOnlyTheLayer() {
        ImagePlus imp = new ImagePlus("grey", new ByteProcessor(32, 32));
        Overlay overlay = new Overlay(new Roi(1, 1, 4, 4));
        imp.setOverlay(overlay);

        ImageRoi layer = LayerInserter.insert(imp, new ColorProcessor(16, 16), 8, 4, "p", 5, null);

        assertThat(imp.getOverlay().size()).isEqualTo(2);
        assertThat(imp.getOverlay().get(1)).isSameAs(layer);
        assertThat(layer.getBounds()).isEqualTo(new java.awt.Rectangle(8, 4, 16, 16));
        assertThat(layer.getProperty(LayerInserter.PARAMETERS_PROPERTY)).isNull();

        TestImages.undo(imp);
        assertThat(imp.getOverlay().size()).isEqualTo(1);
        assertThat(imp.getOverlay().get(0).getName()).isNull();
    }

    @Test
    void onAStackTheLayerSitsOnTheCurrentSlice() {
        ImageStack stack = new ImageStack(16, 16);
        for (int i = 0; i < 3; i++) {
            stack.addSlice(new ByteProcessor(16, 16));
        }
        ImagePlus imp = new ImagePlus("stack", stack);
        imp.setSlice(2);

        ImageRoi layer = LayerInserter.insert(imp, new ColorProcessor(16, 16), 0, 0, "p", 1, "params");

        assertThat(layer.getPosition()).isEqualTo(2);
        assertThat(layer.getProperty(LayerInserter.PARAMETERS_PROPERTY)).isEqualTo("params");
    }
}
