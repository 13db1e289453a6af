package io.fijigen.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import ij.CompositeImage;
import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.ImageRoi;
import ij.gui.Roi;
import ij.measure.Calibration;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.LUT;
import ij.process.ShortProcessor;
import io.fijigen.plugin.layers.GreyLayer;
import io.fijigen.plugin.layers.LayerInserter;
import io.fijigen.plugin.layers.Layers;
import io.fijigen.plugin.ui.GreyOptions;
import io.fijigen.plugin.ui.Normalisation;
import io.fijigen.plugin.ui.ValueRange;
import io.fijigen.proto.client.JobListener;
import io.fijigen.proto.v1.Tensor;
import java.awt.Color;
import java.awt.Rectangle;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/**
 * Grey images through a real engine on loopback: they come back in their own type, LUT, display
 * range and calibration, their values mapped through the inverse of the rule they went with.
 */
class GreyImagesTest extends LoopbackClientTestBase {
    static final GreyOptions PERCENTILES = new GreyOptions(Normalisation.percentiles(1, 99.8), false);

    /**
     * 16-bit, 64 × 48: a dim background (about 1000..1500) with a bright square (3000..3500), display
     * range 900..3200, a green LUT, 0.25 µm pixels and the origin at (10, 5).
     */
    static ImagePlus calibrated16Bit() {
        ShortProcessor ip = new ShortProcessor(64, 48);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                boolean square = x >= 20 && x < 40 && y >= 16 && y < 32;
                ip.set(x, y, (square ? 3000 : 1000) + (x * 37 + y * 91) % 500);
            }
        }
        ImagePlus imp = new ImagePlus("cells", ip);
        imp.setLut(LUT.createLutFromColor(Color.green));
        imp.setDisplayRange(900, 3200);
        Calibration calibration = imp.getCalibration();
        calibration.pixelWidth = 0.25;
        calibration.pixelHeight = 0.25;
        calibration.setUnit("µm");
        calibration.xOrigin = 10;
        calibration.yOrigin = 5;
        return imp;
    }

    /** The engine's float RGB of image {@code index}, pixel {@code i}, as its BT.601 luma. */
    static double luma(Tensor pixels, int index, int i, int pixelCount) {
        FloatBuffer rgb = pixels.getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        int at = (index * pixelCount + i) * 3;
        return 0.299 * rgb.get(at) + 0.587 * rgb.get(at + 1) + 0.114 * rgb.get(at + 2);
    }

    /** Every pixel of {@code values} is lo + Y · (hi − lo) of the engine's pixel, rounded for 16 bits. */
    static void assertMappedBack(ImageProcessor values, Inserted inserted, int index, ValueRange range) {
        int count = values.getPixelCount();
        for (int i = 0; i < count; i++) {
            double y = luma(inserted.result().getPixels(), index, i, count);
            double expected = range.lo() + y * (range.hi() - range.lo());
            double actual = values.getf(i);
            assertThat(actual).as("pixel %d", i).isBetween(range.lo() - 0.5, range.hi() + 0.5);
            if (values instanceof ShortProcessor) {
                assertThat(actual).as("pixel %d", i).isEqualTo(Math.round(expected));
            } else {
                assertThat(actual).as("pixel %d", i).isEqualTo((double) (float) expected);
            }
        }
    }

    static void assertCalibration(ImagePlus imp, double pixelSize, double xOrigin, double yOrigin) {
        Calibration calibration = imp.getCalibration();
        assertThat(calibration.pixelWidth).isEqualTo(pixelSize);
        assertThat(calibration.pixelHeight).isEqualTo(pixelSize);
        assertThat(calibration.getUnit()).isEqualTo("µm");
        assertThat(calibration.xOrigin).isEqualTo(xOrigin);
        assertThat(calibration.yOrigin).isEqualTo(yOrigin);
    }

    @Test
    void img2imgOnA16BitImageGivesA16BitLayerInTheRulesRange() throws Exception {
        ImagePlus imp = calibrated16Bit();
        short[] before = ((short[]) imp.getProcessor().getPixels()).clone();
        ValueRange range = Normalisation.percentiles(1, 99.8).resolve(imp.getProcessor(), 900, 3200);
        GenerateOptions options = GenerateOptions.img2img("tiny-sd15", "cells").withSteps(2).withSeed(7)
                .withGrey(PERCENTILES);

        Inserted inserted = new GenerateAction(client).run(options, imp, JobListener.NONE);

        ImageRoi layer = inserted.layer();
        assertThat(layer).isInstanceOf(GreyLayer.class);
        ImageProcessor values = layer.getProcessor();
        assertThat(values).isInstanceOf(ShortProcessor.class);
        assertThat(layer.getBounds()).isEqualTo(new Rectangle(0, 0, 64, 48));
        // Shown as the image is: its LUT and display range.
        assertThat(values.getMin()).isEqualTo(900);
        assertThat(values.getMax()).isEqualTo(3200);
        assertThat(values.getLut().getRGB(255) & 0xffffff).isEqualTo(0x00ff00);
        assertMappedBack(values, inserted, 0, range);
        assertThat(layer.getProperty(LayerInserter.PARAMETERS_PROPERTY)).contains("Seed: 7")
                .endsWith("\n" + range.parametersLine());
        assertThat(imp.getInfoProperty()).contains(range.parametersLine());
        // The image is as it was: its pixels, type and calibration.
        assertThat((short[]) imp.getProcessor().getPixels()).isEqualTo(before);
        assertCalibration(imp, 0.25, 10, 5);
    }

    @Test
    void img2imgVariantsOfA16BitImageAreA16BitStackWithItsCalibration() throws Exception {
        ImagePlus imp = calibrated16Bit();
        GenerateOptions options = GenerateOptions.img2img("tiny-sd15", "cells")
                .with(Generation.of("tiny-sd15", "cells").withSteps(2).withSeed(3).withImages(2));

        Inserted inserted = new GenerateAction(client).run(options, imp, JobListener.NONE);

        ImagePlus variants = inserted.image();
        assertThat(variants.getBitDepth()).isEqualTo(16);
        assertThat(variants.getStackSize()).isEqualTo(2);
        assertThat(variants.getWidth()).isEqualTo(64);
        assertThat(variants.getHeight()).isEqualTo(48);
        assertCalibration(variants, 0.25, 10, 5);
        assertThat(variants.getDisplayRangeMin()).isEqualTo(900);
        assertThat(variants.getDisplayRangeMax()).isEqualTo(3200);
        ValueRange displayRange = new ValueRange(Normalisation.DISPLAY_RANGE, 900, 3200);
        assertMappedBack(variants.getStack().getProcessor(2), inserted, 1, displayRange);
        assertThat(variants.getInfoProperty()).endsWith("Normalisation: display range = 900.0 to 3200.0");
    }

    @Test
    void upscaleOfA16BitSelectionIs16BitWithAQuarterOfThePixelSize() throws Exception {
        ImagePlus imp = calibrated16Bit();
        imp.setRoi(new Roi(8, 4, 24, 20));
        ImagePlus upscaled = new UpscaleAction(client).run(UpscaleOptions.of("tiny-x4-upscaler", "cells")
                .withSteps(2).withSeed(4), imp, JobListener.NONE).image();

        assertThat(upscaled.getBitDepth()).isEqualTo(16);
        assertThat(upscaled.getWidth()).isEqualTo(96);
        assertThat(upscaled.getHeight()).isEqualTo(80);
        // The selection's corner (8, 4) is (8 − 10, 4 − 5) · 0.25 µm: there it sits at (0, 0) of
        // pixels of 0.0625 µm, so the origin is (10 − 8, 5 − 4) · 4.
        assertCalibration(upscaled, 0.0625, 8, 4);
        assertThat(upscaled.getCalibration().getX(0)).isEqualTo(imp.getCalibration().getX(8));
        assertThat(upscaled.getDisplayRangeMax()).isEqualTo(3200);
        for (int i = 0; i < 96 * 80; i++) {
            assertThat(upscaled.getProcessor().getf(i)).isBetween(900f, 3200f);
        }
    }

    @Test
    void aThirtyTwoBitImageStaysThirtyTwoBit() throws Exception {
        ImagePlus imp = new ImagePlus("float", calibrated16Bit().getProcessor().convertToFloatProcessor());
        imp.getProcessor().multiply(0.001);
        imp.setDisplayRange(1, 3);
        GenerateOptions options = GenerateOptions.img2img("tiny-sd15", "cells").withSteps(2).withSeed(5);

        Inserted inserted = new GenerateAction(client).run(options, imp, JobListener.NONE);

        assertThat(inserted.layer().getProcessor()).isInstanceOf(FloatProcessor.class);
        assertMappedBack(inserted.layer().getProcessor(), inserted, 0,
                new ValueRange(Normalisation.DISPLAY_RANGE, 1, 3));
        Layers.apply(imp, inserted.layer());
        assertThat(imp.getBitDepth()).isEqualTo(32);
    }

    @Test
    void inpaintOnA16BitImageKeepsEveryPixelBeyondTheFeatherThroughApplyAndUndo() throws Exception {
        ImagePlus imp = calibrated16Bit();
        imp.setRoi(new Roi(24, 20, 12, 10));
        short[] before = ((short[]) imp.getProcessor().getPixels()).clone();
        InpaintOptions options = InpaintOptions.of(Generation.of("tiny-sd15-inpaint", "a cell").withSteps(2)
                .withSeed(11)).withMask(3, 2).withGrey(PERCENTILES);

        Inserted inserted = new InpaintAction(client).run(options, imp, JobListener.NONE);

        ImageRoi layer = inserted.layer();
        assertThat(layer.getProcessor()).isInstanceOf(ShortProcessor.class);
        assertThat(layer.getBounds()).isEqualTo(new Rectangle(19, 15, 22, 20));
        // In a corner of the layer, beyond the feather: the image's own values, not the round trip's.
        assertThat(layer.getProcessor().get(0, 0)).isEqualTo(before[15 * 64 + 19] & 0xffff);
        imp.deleteRoi();

        Layers.apply(imp, layer);

        short[] after = (short[]) imp.getProcessor().getPixels();
        assertThat(imp.getBitDepth()).isEqualTo(16);
        assertThat(after[15 * 64 + 19]).isEqualTo(before[15 * 64 + 19]);
        assertThat(after[0]).isEqualTo(before[0]);
        assertThat(after[25 * 64 + 30]).as("the selection's middle, repainted")
                .isEqualTo((short) layer.getProcessor().get(11, 10));
        TestImages.undo(imp);
        assertThat((short[]) imp.getProcessor().getPixels()).isEqualTo(before);
    }

    @Test
    void controlNetOnA16BitImageGivesA16BitImageWithItsCalibration() throws Exception {
        ImagePlus imp = calibrated16Bit();
        ControlNetOptions options = ControlNetOptions.of(Generation.of("tiny-sd15", "a square cell").withSteps(2)
                .withSeed(21), "tiny-controlnet-canny");

        ImagePlus generated = new ControlNetAction(client).run(options, imp, JobListener.NONE).image();

        assertThat(generated.getBitDepth()).isEqualTo(16);
        assertThat(generated.getWidth()).isEqualTo(64);
        assertThat(generated.getHeight()).isEqualTo(48);
        assertCalibration(generated, 0.25, 10, 5);
    }

    @Test
    void aCompositesChannelComesBackAsALayerOnThatChannel() throws Exception {
        ImageStack stack = new ImageStack(64, 48);
        stack.addSlice(calibrated16Bit().getProcessor());
        stack.addSlice(new ShortProcessor(64, 48));
        ImagePlus plain = new ImagePlus("two channels", stack);
        plain.setDimensions(2, 1, 1);
        CompositeImage imp = new CompositeImage(plain, IJ.COMPOSITE);
        imp.setC(1);
        GenerateOptions options = GenerateOptions.img2img("tiny-sd15", "cells").withSteps(2).withSeed(8)
                .withGrey(new GreyOptions(Normalisation.percentiles(1, 99.8), true));

        Inserted inserted = new GenerateAction(client).run(options, imp, JobListener.NONE);

        assertThat(inserted.layer().getProcessor()).isInstanceOf(ShortProcessor.class);
        assertThat(inserted.layer().getCPosition()).isEqualTo(1);
        assertThat((String) inserted.layer().getProperty(LayerInserter.PARAMETERS_PROPERTY))
                .contains("Normalisation: percentiles 1 to 99.8 % = ").endsWith("(channel 1)");
    }
}
