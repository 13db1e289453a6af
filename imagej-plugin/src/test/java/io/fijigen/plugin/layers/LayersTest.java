package io.fijigen.plugin.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.ImageRoi;
import ij.process.ColorProcessor;
import ij.process.ShortProcessor;
import io.fijigen.plugin.TestImages;
import io.fijigen.plugin.ui.ImageConversion;
import java.awt.Rectangle;
import org.junit.jupiter.api.Test;

/** Applying, removing and previewing layers, on ImageJ images (no engine needed). */
class LayersTest {

    static ColorProcessor filled(int width, int height, int rgb) {
        ColorProcessor ip = new ColorProcessor(width, height);
        ip.setColor(rgb);
        ip.fill();
        return ip;
    }

    @Test
    void applyOnA16BitImageGoesThroughTheDisplayRangeAndUndoRestoresIt() {
        ShortProcessor ip = new ShortProcessor(20, 10);
        for (int x = 0; x < 20; x++) {
            for (int y = 0; y < 10; y++) {
                ip.set(x, y, 1000 + 100 * x);
            }
        }
        ImagePlus imp = new ImagePlus("16-bit", ip);
        imp.setDisplayRange(1000, 2900);
        ImageRoi layer = LayerInserter.insert(imp, filled(4, 3, 0x102030), 5, 2, "p", 1, "params");
        // As the engine sees the image (ImageConversionTest checks that this follows the display range).
        ColorProcessor shown = ImageConversion.toRgb(imp);

        Layers.apply(imp, layer);

        assertThat(imp.getBitDepth()).isEqualTo(24);
        ColorProcessor rgb = (ColorProcessor) imp.getProcessor();
        assertThat(rgb.get(6, 3) & 0xffffff).isEqualTo(0x102030);
        // Outside the layer: the grey the display range gives, 2200 of 1000..2900 → about 161.
        assertThat(rgb.get(12, 3) & 0xffffff).isEqualTo(shown.get(12, 3) & 0xffffff);
        assertThat(rgb.get(12, 3) & 0xff).isBetween(160, 162);

        assertThat(Layers.of(imp)).as("the applied layer is consumed").isEmpty();

        TestImages.undo(imp);
        assertThat(imp.getBitDepth()).isEqualTo(16);
        assertThat(imp.getProcessor().get(12, 3)).isEqualTo(2200);
        assertThat(Layers.of(imp)).extracting(ImageRoi::getName).containsExactly(layer.getName());
    }

    @Test
    void applyBlendsAtTheLayersOpacity() {
        ImagePlus imp = new ImagePlus("rgb", filled(8, 8, 0x000000));
        ImageRoi layer = LayerInserter.insert(imp, filled(2, 2, 0xc86432), 1, 1, "p", 1, null);
        layer.setOpacity(0.5);

        Layers.apply(imp, layer);

        assertThat(imp.getProcessor().get(1, 1) & 0xffffff).isEqualTo(0x643219);
        assertThat(imp.getProcessor().get(3, 3) & 0xffffff).isZero();
    }

    @Test
    void applyConsumesTheLayerAndUndoRestoresPixelsAndLayer() {
        ImagePlus imp = new ImagePlus("rgb", filled(8, 8, 0x000000));
        ImageRoi below = LayerInserter.insert(imp, filled(2, 2, 0x0000ff), 4, 4, "below", 1, null);
        ImageRoi layer = LayerInserter.insert(imp, filled(2, 2, 0xc86432), 1, 1, "p", 2, null);

        Layers.apply(imp, layer);

        assertThat(imp.getProcessor().get(1, 1) & 0xffffff).isEqualTo(0xc86432);
        assertThat(Layers.of(imp)).as("only the other layer is left").containsExactly(below);
        assertThatThrownBy(() -> Layers.selected(imp, layer.getName()))
                .hasMessageContaining("no fijigen layer named");

        TestImages.undo(imp);
        assertThat(imp.getProcessor().get(1, 1) & 0xffffff).isZero();
        assertThat(Layers.of(imp)).extracting(ImageRoi::getName).containsExactly(below.getName(), layer.getName());
    }

    @Test
    void theLayerToApplyIsTheNamedOneTheSelectedOneOrTheTopmost() {
        ImagePlus imp = new ImagePlus("rgb", filled(8, 8, 0));
        ImageRoi first = LayerInserter.insert(imp, filled(2, 2, 1), 0, 0, "first", 1, null);
        ImageRoi second = LayerInserter.insert(imp, filled(2, 2, 2), 0, 0, "second", 2, null);

        assertThat(Layers.selected(imp, null)).isSameAs(second);
        assertThat(Layers.selected(imp, "[fijigen] first · seed 1")).isSameAs(first);
        imp.setRoi(first);
        assertThat(Layers.selected(imp, null)).isSameAs(first);
        assertThatThrownBy(() -> Layers.selected(imp, "nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no fijigen layer named 'nope'");
        assertThatThrownBy(() -> Layers.selected(new ImagePlus("empty", filled(4, 4, 0)), null))
                .hasMessage("empty has no fijigen layer");
    }

    @Test
    void applyRefusesNonRgbStacksWithAHint() {
        ImageStack stack = new ImageStack(4, 4);
        stack.addSlice(new ShortProcessor(4, 4));
        stack.addSlice(new ShortProcessor(4, 4));
        ImagePlus imp = new ImagePlus("stack", stack);
        ImageRoi layer = LayerInserter.insert(imp, filled(2, 2, 5), 0, 0, "p", 1, null);

        assertThatThrownBy(() -> Layers.apply(imp, layer))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Image › Type › RGB Color");
    }

    @Test
    void removeTakesOnlyOurLayersAndUndoPutsThemBack() {
        ImagePlus imp = new ImagePlus("rgb", filled(8, 8, 0));
        LayerInserter.insert(imp, filled(2, 2, 1), 0, 0, "a", 1, null);
        LayerInserter.insert(imp, filled(2, 2, 2), 2, 2, "b", 2, null);
        ij.gui.Roi own = new ij.gui.Roi(1, 1, 3, 3);
        imp.getOverlay().add(own);

        assertThat(Layers.remove(imp)).isEqualTo(2);
        assertThat(imp.getOverlay().size()).isEqualTo(1);
        assertThat(imp.getOverlay().get(0)).isSameAs(own);

        TestImages.undo(imp);
        assertThat(Layers.of(imp)).hasSize(2);
    }

    @Test
    void thePreviewReplacesItselfScaledToItsRegionAndLeavesNoTrace() {
        ImagePlus imp = new ImagePlus("rgb", filled(40, 40, 0));
        LivePreview preview = new LivePreview(imp, new Rectangle(8, 8, 16, 16), null);
        preview.show(new byte[0]);
        assertThat(imp.getOverlay()).isNull();

        preview.show(ImageConversion.toPng(filled(8, 8, 0xff0000)));
        preview.show(ImageConversion.toPng(filled(8, 8, 0x00ff00)));

        assertThat(imp.getOverlay().size()).isEqualTo(1);
        assertThat(preview.layer().getName()).isEqualTo(LivePreview.NAME);
        assertThat(preview.layer().getBounds()).isEqualTo(new Rectangle(8, 8, 16, 16));
        assertThat(preview.layer().getProcessor().get(15, 15) & 0xffffff).isEqualTo(0x00ff00);
        preview.close();
        assertThat(imp.getOverlay()).isNull();
    }

    @Test
    void aPreviewShowsOnlyInsideTheSelection() {
        ImagePlus imp = new ImagePlus("rgb", filled(40, 40, 0));
        LivePreview preview = new LivePreview(imp, new Rectangle(8, 8, 16, 16), new ij.gui.OvalRoi(8, 8, 16, 16));

        preview.show(ImageConversion.toPng(filled(16, 16, 0x00ff00)));

        ij.process.ImageProcessor shown = preview.layer().getProcessor();
        assertThat(shown.get(8, 8)).as("the oval's centre").isEqualTo(0xff00ff00);
        assertThat(shown.get(0, 0)).as("a corner of its box, outside the oval: transparent").isZero();
        assertThat(shown.getColorModel().hasAlpha()).isTrue();
    }
}
