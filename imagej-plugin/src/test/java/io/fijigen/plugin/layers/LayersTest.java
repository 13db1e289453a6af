package io.fijigen.plugin.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ij.CompositeImage;
import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.ImageRoi;
import ij.io.Opener;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
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

    /** 16-bit, 1000 + 100 x (+ y), display range 1000..2900. */
    static ImagePlus sixteenBit() {
        ShortProcessor ip = new ShortProcessor(20, 10);
        for (int x = 0; x < 20; x++) {
            for (int y = 0; y < 10; y++) {
                ip.set(x, y, 1000 + 100 * x + y);
            }
        }
        ImagePlus imp = new ImagePlus("16-bit", ip);
        imp.setDisplayRange(1000, 2900);
        return imp;
    }

    /** Grey values a layer of {@code like}'s type holds: 5000 + 7 x + 3 y, plus a fraction for 32 bits. */
    static ImageProcessor greyLayer(ImageProcessor like, int width, int height) {
        ImageProcessor values = like.createProcessor(width, height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                values.setf(x, y, 5000 + 7 * x + 3 * y + (like instanceof FloatProcessor ? 0.37f : 0));
            }
        }
        return values;
    }

    /**
     * A grey layer at opacity 0.5 on a 16- or 32-bit image: written in the image's type as the blend
     * computed here, rounded for 16 bits; Undo restores every pixel and the layer, values and all.
     */
    static void applyKeepsTheTypeAndUndoRestoresEveryPixel(ImagePlus imp) {
        ImageProcessor image = imp.getProcessor();
        float[] before = (float[]) image.convertToFloatProcessor().getPixels();
        ImageRoi layer = LayerInserter.insert(imp, greyLayer(image, 4, 3), 5, 2, "p", 1, "params");
        layer.setOpacity(0.5);
        assertThat(layer).isInstanceOf(GreyLayer.class);

        Layers.apply(imp, layer);

        assertThat(imp.getProcessor()).as("the same type, pixels written in place").isSameAs(image);
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 20; x++) {
                double original = before[y * 20 + x];
                boolean under = x >= 5 && x < 9 && y >= 2 && y < 5;
                double blend = under ? original * 0.5 + (5000 + 7 * (x - 5) + 3 * (y - 2)
                        + (image instanceof FloatProcessor ? 0.37f : 0)) * 0.5 : original;
                double expected = image instanceof FloatProcessor ? (float) blend : Math.round(blend);
                assertThat((double) image.getf(x, y)).as("(%d, %d)", x, y).isEqualTo(expected);
            }
        }
        // 16 bits: (1000 + 100·6 + 3) / 2 + (5000 + 7 + 3) / 2 = 801.5 + 2505 = 3306.5, rounded up.
        if (image instanceof ShortProcessor) {
            assertThat(image.get(6, 3)).isEqualTo(3307);
        }
        assertThat(Layers.of(imp)).as("the applied layer is consumed").isEmpty();

        TestImages.undo(imp);
        assertThat((float[]) imp.getProcessor().convertToFloatProcessor().getPixels()).containsExactly(before);
        assertThat(imp.getBitDepth()).isEqualTo(image.getBitDepth());
        ImageRoi back = Layers.of(imp).get(0);
        assertThat(back.getName()).isEqualTo(layer.getName());
        assertThat(back.getProcessor().getBitDepth()).as("Undo's copy keeps the values").isEqualTo(image.getBitDepth());
        assertThat((float[]) back.getProcessor().convertToFloatProcessor().getPixels())
                .containsExactly((float[]) layer.getProcessor().convertToFloatProcessor().getPixels());
    }

    @Test
    void applyOnA16BitImageKeepsTheType() {
        applyKeepsTheTypeAndUndoRestoresEveryPixel(sixteenBit());
    }

    @Test
    void applyOnA32BitImageKeepsTheType() {
        ImagePlus imp = new ImagePlus("32-bit", sixteenBit().getProcessor().convertToFloatProcessor());
        applyKeepsTheTypeAndUndoRestoresEveryPixel(imp);
    }

    @Test
    void anRgbLayerOnAGreyImageIsWrittenAsItsLumaThroughTheDisplayRange() {
        ImagePlus imp = sixteenBit();
        ImageRoi layer = LayerInserter.insert(imp, filled(4, 3, 0x102030), 5, 2, "p", 1, "params");

        Layers.apply(imp, layer);

        assertThat(imp.getBitDepth()).isEqualTo(16);
        // Y = 0.299·16 + 0.587·32 + 0.114·48 = 29.04 of 255, onto 1000..2900: 1216.38.
        assertThat(imp.getProcessor().get(6, 3)).isEqualTo(1216);
        assertThat(imp.getProcessor().get(12, 3)).isEqualTo(2203);

        TestImages.undo(imp);
        assertThat(imp.getProcessor().get(6, 3)).isEqualTo(1603);
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

    /** ImageJ saves an ImageRoi in a TIFF's overlay as its 8-bit picture: over 16 bits, it is read as one. */
    @Test
    void anEightBitLayerOnA16BitImageIsReadThroughTheDisplayRange() throws Exception {
        ImagePlus imp = sixteenBit();
        ShortProcessor values = new ShortProcessor(4, 3);
        values.setValue(1950);
        values.fill();
        values.setMinAndMax(1000, 2900);
        ImageRoi saved = LayerInserter.insert(imp, values, 5, 2, "p", 1, null);
        ImageProcessor reloaded = new Opener().deserialize(saved.getSerializedImage()).getProcessor();
        assertThat(reloaded).isInstanceOf(ByteProcessor.class);
        imp.getOverlay().remove(saved);
        ImageRoi layer = LayerInserter.insert(imp, reloaded, 5, 2, "p", 1, null);
        // 1950, the middle of 1000..2900, is drawn as 128 (of ImageJ's 256 steps).
        assertThat(layer.getProcessor().get(0, 0)).isEqualTo(128);

        Layers.apply(imp, layer);

        // 1000 + 128 / 255 · 1900 = 1953.7: within the picture's step, 1900 / 255.
        assertThat(imp.getProcessor().get(6, 3)).isEqualTo(1954);
    }

    @Test
    void applyOnAGreyStackWritesTheCurrentSliceOnly() {
        ImageStack stack = new ImageStack(4, 4);
        for (int i = 0; i < 3; i++) {
            ByteProcessor slice = new ByteProcessor(4, 4);
            slice.setValue(10 * (i + 1));
            slice.fill();
            stack.addSlice(slice);
        }
        ImagePlus imp = new ImagePlus("stack", stack);
        imp.setSlice(2);
        ByteProcessor values = new ByteProcessor(2, 2);
        values.setValue(201);
        values.fill();
        ImageRoi layer = LayerInserter.insert(imp, values, 1, 1, "p", 1, null);
        layer.setOpacity(0.5);

        Layers.apply(imp, layer);

        // (20 + 201) / 2 = 110.5, rounded up; the other slices keep their 10 and 30.
        assertThat(imp.getStack().getProcessor(2).get(1, 1)).isEqualTo(111);
        assertThat(imp.getStack().getProcessor(2).get(0, 0)).isEqualTo(20);
        assertThat(imp.getStack().getProcessor(1).get(1, 1)).isEqualTo(10);
        assertThat(imp.getStack().getProcessor(3).get(1, 1)).isEqualTo(30);

        TestImages.undo(imp);
        assertThat(imp.getStack().getProcessor(2).get(1, 1)).isEqualTo(20);
    }

    @Test
    void aChannelsLayerIsAppliedOnlyToItsChannel() {
        ImageStack stack = new ImageStack(4, 4);
        stack.addSlice(new ShortProcessor(4, 4));
        stack.addSlice(new ShortProcessor(4, 4));
        ImagePlus plain = new ImagePlus("two channels", stack);
        plain.setDimensions(2, 1, 1);
        CompositeImage imp = new CompositeImage(plain, IJ.COMPOSITE);
        ImageRoi layer = LayerInserter.insert(imp, 2, greyLayer(new ShortProcessor(1, 1), 2, 2), 0, 0, "p", 1, null);
        assertThat(layer.getCPosition()).isEqualTo(2);

        imp.setC(1);
        assertThatThrownBy(() -> Layers.apply(imp, layer))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("[fijigen] p · seed 1 was made from channel 2 of two channels: show channel 2 and apply"
                        + " it again");

        imp.setC(2);
        Layers.apply(imp, layer);
        assertThat(imp.getStack().getProcessor(2).get(1, 1)).isEqualTo(5010);
        assertThat(imp.getStack().getProcessor(1).get(1, 1)).isZero();
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
