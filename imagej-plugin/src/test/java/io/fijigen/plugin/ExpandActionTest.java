package io.fijigen.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.measure.Calibration;
import io.fijigen.plugin.ui.GreyOptions;
import io.fijigen.plugin.ui.ImageConversion;
import io.fijigen.plugin.ui.SourceImage;
import io.fijigen.proto.client.JobListener;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.OutpaintFill;
import java.awt.Rectangle;
import org.junit.jupiter.api.Test;

/** Expand Canvas's action against a real engine on loopback, and its presets. */
class ExpandActionTest extends LoopbackClientTestBase {
    /** Overlap 8 + feather 4: beyond this from a side that grows, the image's pixels are its own. */
    private static final int REACH = 12;

    @Test
    void aGrownNewImageKeepsTheOriginalBeyondTheFeatherWithTheBorderAsItsSelection() throws Exception {
        ImagePlus imp = TestImages.gradient(128, 96);
        Calibration calibration = imp.getCalibration();
        calibration.pixelWidth = 0.5;
        calibration.setUnit("µm");
        int[] before = ((int[]) imp.getProcessor().getPixels()).clone();
        ExpandOptions options = ExpandOptions.of(Generation.of("tiny-sd15-inpaint", "more cells").withSteps(2)
                .withSeed(5), 32, 0, 16, 8).withFill("blur", 8);

        Inserted inserted = new ExpandAction(client).run(options, imp, JobListener.NONE);

        assertThat(inserted.result().getParameters()).contains("Size: 176x104");
        ImagePlus expanded = inserted.image();
        assertThat(inserted.newImage()).isTrue();
        assertThat(expanded.getWidth()).isEqualTo(176);
        assertThat(expanded.getHeight()).isEqualTo(104);
        assertThat(expanded.getTitle()).isEqualTo("[fijigen] expanded gradient");
        int[] pixels = (int[]) expanded.getProcessor().getPixels();
        for (int y = 0; y < 96 - REACH; y++) {
            for (int x = REACH; x < 128 - REACH; x++) {
                assertThat(pixels[y * 176 + x + 32] & 0xffffff).as("(%d, %d)", x, y)
                        .isEqualTo(before[y * 128 + x] & 0xffffff);
            }
        }
        // The source is untouched, and a place keeps its physical coordinates.
        TestImages.assertSameRgb((int[]) imp.getProcessor().getPixels(), before, 128);
        assertThat(expanded.getCalibration().pixelWidth).isEqualTo(0.5);
        assertThat(expanded.getCalibration().xOrigin).isEqualTo(32);
        // The selection is the border: everything but the original's place.
        Roi border = expanded.getRoi();
        assertThat(border.getBounds()).isEqualTo(new Rectangle(0, 0, 176, 104));
        assertThat(border.contains(10, 50)).isTrue();
        assertThat(border.contains(170, 50)).isTrue();
        assertThat(border.contains(80, 100)).isTrue();
        assertThat(border.contains(80, 50)).isFalse();
        assertThat(border.getStatistics().pixelCount).isEqualTo(176 * 104 - 128 * 96);
        // The job's record, as other results carry it.
        assertThat(expanded.getProp(JobRecord.REQUEST_PROPERTY)).contains("outpaint {").contains("left: 32")
                .contains("OUTPAINT_FILL_BLUR");
    }

    @Test
    void theRequestSendsTheWholeImageAndTheSides() {
        ImagePlus imp = TestImages.gradient(40, 30);
        ExpandOptions options = ExpandOptions.of(Generation.of("tiny-sd15", "x"), 0, 4, 0, 6);
        GenerateRequest request = ExpandAction.request(options, SourceImage.of(imp, 1, GreyOptions.DEFAULT));
        assertThat(request.getOutpaint().getTop()).isEqualTo(4);
        assertThat(request.getOutpaint().getBottom()).isEqualTo(6);
        assertThat(request.getOutpaint().getFill()).isEqualTo(OutpaintFill.OUTPAINT_FILL_EDGE);
        assertThat(request.getOutpaint().getOverlap()).isEqualTo(8);
        assertThat(request.getMaskBlur()).isEqualTo(4);
        assertThat(request.getWidth()).isZero();
        assertThat(ImageConversion.fromPng(request.getInitImage().toByteArray()).getWidth())
                .isEqualTo(40);
    }

    @Test
    void presetsAreAShareOfTheWidthOrHeightOnTheChosenSides() {
        assertThat(new CanvasPreset(25, "all").pixels(128, 96)).containsExactly(32, 24, 32, 24);
        assertThat(new CanvasPreset(10, "left and right").pixels(128, 96)).containsExactly(13, 0, 13, 0);
        assertThat(new CanvasPreset(50, "bottom").pixels(128, 96)).containsExactly(0, 0, 0, 48);
        assertThatThrownBy(() -> new CanvasPreset(33, "all")).hasMessageContaining("33 % is not one of [10, 25, 50]");
    }

    @Test
    void sidesThatDoNotGrowAreRefusedBeforeAnythingIsSent() {
        Generation generation = Generation.of("tiny-sd15", "x");
        assertThatThrownBy(() -> ExpandOptions.of(generation, 0, 0, 0, 0)).hasMessage("sides: all 0; grow at least"
                + " one side");
        assertThatThrownBy(() -> ExpandOptions.of(generation, -1, 0, 8, 0)).hasMessageContaining("must not be negative");
    }
}
