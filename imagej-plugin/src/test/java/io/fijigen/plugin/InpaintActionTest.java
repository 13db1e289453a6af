package io.fijigen.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ij.ImagePlus;
import ij.gui.ImageRoi;
import ij.gui.OvalRoi;
import ij.gui.Roi;
import ij.gui.ShapeRoi;
import ij.process.ColorProcessor;
import io.fijigen.plugin.layers.Layers;
import io.fijigen.plugin.ui.GreyOptions;
import io.fijigen.plugin.ui.ImageConversion;
import io.fijigen.plugin.ui.SourceImage;
import io.fijigen.proto.client.JobListener;
import io.fijigen.proto.v1.GenerateRequest;
import java.awt.Rectangle;
import org.junit.jupiter.api.Test;

/** Inpaint Selection's action against a real engine on loopback. */
class InpaintActionTest extends LoopbackClientTestBase {
    static InpaintOptions options(String model) {
        return InpaintOptions.of(Generation.of(model, "a nucleus").withSteps(2).withSeed(11)).withMask(3, 2);
    }

    @Test
    void theSelectionBecomesALayerAndApplyLeavesEverythingBeyondTheFeatherUntouched() throws Exception {
        ImagePlus imp = TestImages.gradient(128, 96);
        imp.setRoi(new Roi(40, 30, 24, 20));
        int[] before = ((int[]) imp.getProcessor().getPixels()).clone();

        Inserted inserted = new InpaintAction(client).run(options("tiny-sd15-inpaint"), imp, JobListener.NONE);

        // The layer covers the selection grown by grow (2) + blur (3), at its place.
        ImageRoi layer = inserted.layer();
        assertThat(layer.getName()).isEqualTo("[fijigen] a nucleus · seed 11");
        assertThat(layer.getBounds()).isEqualTo(new Rectangle(35, 25, 34, 30));
        assertThat(imp.getOverlay().size()).isEqualTo(1);
        // What was sent: the selection with reach and padding (5 + 32), snapped to multiples of 8.
        Rectangle sent = InpaintAction.plan(options("tiny-sd15-inpaint"), imp).sent();
        assertThat(sent).isEqualTo(new Rectangle(3, 0, 104, 88));
        // The layer's pixels are the engine's, cut at the layer's place.
        ColorProcessor returned = TestImages.returned(inserted.result(), 0);
        assertThat(returned.getWidth()).isEqualTo(104);
        assertThat(TestImages.rgb(layer.getProcessor(), 0, 0, 34, 30))
                .isEqualTo(TestImages.rgb(returned, 35 - 3, 25 - 0, 34, 30));
        // Its alpha is the grown, feathered selection's footprint: opaque over the selection and within
        // the reach (5) of it, transparent in the corners, where the engine kept the input's pixels.
        assertThat(layer.getProcessor().get(17, 15) >>> 24).isEqualTo(0xff);
        assertThat(layer.getProcessor().get(0, 15) >>> 24).isEqualTo(0xff);
        assertThat(layer.getProcessor().get(0, 0) >>> 24).isZero();
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 34; x++) {
                if (layer.getProcessor().get(x, y) >>> 24 == 0) {
                    assertThat(layer.getProcessor().get(x, y) & 0xffffff).as("transparent (%d, %d)", x, y)
                            .isEqualTo(before[(25 + y) * 128 + 35 + x] & 0xffffff);
                }
            }
        }
        // Something changed inside the selection.
        assertThat(TestImages.rgb(layer.getProcessor(), 5, 5, 24, 20))
                .isNotEqualTo(TestImages.rgb(imp.getProcessor(), 40, 30, 24, 20));
        TestImages.assertSameRgb((int[]) imp.getProcessor().getPixels(), before, 128);

        Layers.apply(imp, layer);

        ColorProcessor after = (ColorProcessor) imp.getProcessor();
        for (int y = 0; y < 96; y++) {
            for (int x = 0; x < 128; x++) {
                boolean nearSelection = x >= 35 && x < 69 && y >= 25 && y < 55;
                if (!nearSelection) {
                    assertThat(after.get(x, y) & 0xffffff).as("(%d, %d)", x, y).isEqualTo(before[y * 128 + x] & 0xffffff);
                } else {
                    // The engine's composite: over the footprint the layer's, beyond it the input's own.
                    assertThat(after.get(x, y) & 0xffffff).as("(%d, %d)", x, y)
                            .isEqualTo(layer.getProcessor().get(x - 35, y - 25) & 0xffffff);
                }
            }
        }
        // Beyond the feather, inside the layer's rectangle too, the engine kept the input's pixels.
        assertThat(after.get(35, 25) & 0xffffff).isEqualTo(before[25 * 128 + 35] & 0xffffff);

        // Undo brings the pixels back, and the layer, to apply again or remove.
        TestImages.undo(imp);
        TestImages.assertSameRgb((int[]) imp.getProcessor().getPixels(), before, 128);
        assertThat(Layers.of(imp)).extracting(ImageRoi::getName).containsExactly(layer.getName());
    }

    @Test
    void undoRemovesTheLayer() throws Exception {
        ImagePlus imp = TestImages.gradient(64, 64);
        imp.setRoi(new OvalRoi(20, 20, 16, 16));
        new InpaintAction(client).run(options("tiny-sd15"), imp, JobListener.NONE);
        assertThat(Layers.of(imp)).hasSize(1);

        TestImages.undo(imp);
        assertThat(imp.getOverlay() == null || imp.getOverlay().size() == 0).isTrue();
    }

    @Test
    void aCompositeSelectionIsSentAsItsMask() throws Exception {
        ImagePlus imp = TestImages.gradient(64, 64);
        ShapeRoi composite = new ShapeRoi(new Roi(4, 4, 10, 10)).or(new ShapeRoi(new OvalRoi(30, 30, 20, 12)));
        imp.setRoi(composite);
        InpaintOptions options = options("tiny-sd15");
        InpaintAction.Plan plan = InpaintAction.plan(options, imp);
        assertThat(plan.sent()).isEqualTo(new Rectangle(0, 0, 64, 64));

        GenerateRequest request = InpaintAction.request(plan.options(), imp,
                SourceImage.of(imp, 1, GreyOptions.DEFAULT), plan.sent());

        ColorProcessor mask = ImageConversion.fromPng(request.getMask().toByteArray());
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                int expected = composite.contains(x, y) ? 0xffffff : 0;
                assertThat(mask.get(x, y) & 0xffffff).as("mask (%d, %d)", x, y).isEqualTo(expected);
            }
        }
        assertThat(request.getMaskBlur()).isEqualTo(3);
        assertThat(request.getMaskGrow()).isEqualTo(2);
        assertThat(request.getOnlyMasked()).isFalse();
    }

    @Test
    void anImageWhoseSidesAreNoMultipleOf8IsCutToOne() throws Exception {
        ImagePlus imp = TestImages.gradient(100, 70);
        imp.setRoi(new Roi(60, 10, 12, 12));
        // Wanted: the selection ± 37, inside the image: x 23..100, y 0..59 → 77 × 59 → 80 × 64, moved in.
        InpaintAction.Plan plan = InpaintAction.plan(options("tiny-sd15"), imp);
        assertThat(plan.sent()).isEqualTo(new Rectangle(20, 0, 80, 64));
        assertThat(plan.options().onlyMasked()).isFalse();

        Inserted inserted = new InpaintAction(client).run(options("tiny-sd15"), imp, JobListener.NONE);
        assertThat(inserted.layer().getBounds()).isEqualTo(new Rectangle(55, 5, 22, 22));
    }

    @Test
    void aSelectionAcrossAnOddImageFallsBackToTheOnlyMaskedMode() throws Exception {
        ImagePlus imp = TestImages.gradient(100, 60);
        imp.setRoi(new Roi(2, 2, 96, 56));
        InpaintAction.Plan plan = InpaintAction.plan(options("tiny-sd15"), imp);
        assertThat(plan.sent()).isEqualTo(new Rectangle(0, 0, 100, 60));
        assertThat(plan.options().onlyMasked()).isTrue();
        assertThat(plan.options().width()).isEqualTo(104);
        assertThat(plan.options().height()).isEqualTo(64);

        Inserted inserted = new InpaintAction(client).run(options("tiny-sd15"), imp, JobListener.NONE);
        assertThat(inserted.layer().getBounds()).isEqualTo(new Rectangle(0, 0, 100, 60));
    }

    @Test
    void severalVariantsBecomeAStack() throws Exception {
        ImagePlus imp = TestImages.gradient(64, 64);
        imp.setRoi(new Roi(16, 16, 16, 16));
        InpaintOptions options = new InpaintOptions(Generation.of("tiny-sd15", "two").withSteps(2).withSeed(5)
                .withImages(2), 2, 0, false, 8, null, 0, 0, GreyOptions.DEFAULT);

        Inserted inserted = new InpaintAction(client).run(options, imp, JobListener.NONE);

        assertThat(inserted.newImage()).isTrue();
        assertThat(inserted.image().getStackSize()).isEqualTo(2);
        assertThat(inserted.image().getStack().getSliceLabel(2)).isEqualTo("seed 5 · 2/2");
        assertThat(imp.getOverlay()).isNull();
    }

    @Test
    void withoutAnAreaSelectionItSaysWhatIsMissing() {
        ImagePlus imp = TestImages.gradient(64, 64);
        assertThatThrownBy(() -> new InpaintAction(client).run(options("tiny-sd15"), imp, JobListener.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs an area selection");
        assertThat(imp.getOverlay()).isNull();
    }
}
