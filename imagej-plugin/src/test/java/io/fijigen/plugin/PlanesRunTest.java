package io.fijigen.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import ij.CompositeImage;
import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.ImageRoi;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import io.fijigen.plugin.SliceRange.Mode;
import io.fijigen.plugin.layers.GreyLayer;
import io.fijigen.plugin.layers.Layers;
import io.fijigen.plugin.ui.GreyOptions;
import io.fijigen.plugin.ui.Normalisation;
import io.fijigen.proto.client.JobListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Commands over the planes of stacks and hyperstacks, as one batch on a real engine on loopback. */
class PlanesRunTest extends LoopbackClientTestBase {
    private static final GreyOptions CHANNELS_AS_GREY = new GreyOptions(Normalisation.DISPLAY_RANGE, true);

    /** A calibrated 16-bit stack of {@code slices} slices, each a little brighter than the one before. */
    private static ImagePlus stack16(int slices) {
        ImagePlus first = GreyImagesTest.calibrated16Bit();
        ImageStack stack = new ImageStack(first.getWidth(), first.getHeight());
        for (int z = 0; z < slices; z++) {
            ImageProcessor ip = first.getProcessor().duplicate();
            ip.add(150 * z);
            stack.addSlice("z" + (z + 1), ip);
        }
        ImagePlus imp = new ImagePlus("cells", stack);
        imp.setCalibration(first.getCalibration());
        imp.setDisplayRange(900, 3500);
        return imp;
    }

    private static GenerateOptions img2img(long seed) {
        return GenerateOptions.img2img("tiny-sd15", "cells").withSteps(2).withSeed(seed);
    }

    @Test
    void allSlicesOfA16BitStackGetA16BitLayerEachWithItsSeed() throws Exception {
        ImagePlus imp = stack16(3);
        imp.setSlice(2);
        PlanesRun.Options options = new PlanesRun.Options(SliceRange.all(), PlanesRun.Seeds.INCREMENT, false);
        List<String> planes = new ArrayList<>();

        PlanesRun.Outcome outcome = new PlanesRun(client).run(imp, options.planes(imp, false, 1), 7L, options,
                seed -> GenerateAction.job(img2img(7).withSeed(seed), imp), new PlanesRun.Progress() {
                    @Override
                    public void plane(int index, int count) {
                        planes.add((index + 1) + "/" + count);
                    }
                });

        assertThat(planes).containsExactly("1/3", "2/3", "3/3");
        assertThat(outcome.done()).isEqualTo(3);
        assertThat(outcome.failures()).isEmpty();
        assertThat(outcome.image()).isNull();
        List<ImageRoi> layers = Layers.of(imp);
        assertThat(layers).hasSize(3);
        for (int z = 1; z <= 3; z++) {
            ImageRoi layer = layers.get(z - 1);
            assertThat(layer).isInstanceOf(GreyLayer.class);
            assertThat(layer.getProcessor()).isInstanceOf(ShortProcessor.class);
            assertThat(layer.getPosition()).isEqualTo(z);
            assertThat(layer.getName()).endsWith("seed " + (6 + z));
        }
        // The image shows the slice it showed before, its pixels untouched.
        assertThat(imp.getCurrentSlice()).isEqualTo(2);
        // Each plane's layer is what a run on that slice alone gives.
        imp.setSlice(3);
        Inserted alone = new GenerateAction(client).run(img2img(9), imp, JobListener.NONE);
        assertThat((short[]) layers.get(2).getProcessor().getPixels())
                .isEqualTo((short[]) alone.layer().getProcessor().getPixels());
    }

    @Test
    void aNewImageCommandOverAStackGivesAStackOfTheSameTypeAndCalibration() throws Exception {
        ImagePlus imp = stack16(3);
        PlanesRun.Options options = new PlanesRun.Options(SliceRange.all(), PlanesRun.Seeds.SAME, false);
        ControlNetOptions controlNet = ControlNetOptions.of(Generation.of("tiny-sd15", "cells").withSteps(2),
                "tiny-controlnet-canny");
        ControlNetAction action = new ControlNetAction(client);

        PlanesRun.Outcome outcome = new PlanesRun(client).run(imp, options.planes(imp, false, 1), 5L, options,
                seed -> action.job(controlNet.withSeed(seed), imp), new PlanesRun.Progress() {});

        ImagePlus result = outcome.image();
        assertThat(result.getBitDepth()).isEqualTo(16);
        assertThat(result.getStackSize()).isEqualTo(3);
        assertThat(new int[] {result.getNChannels(), result.getNSlices(), result.getNFrames()}).containsExactly(1, 3, 1);
        GreyImagesTest.assertCalibration(result, 0.25, 10, 5);
        assertThat(result.getStack().getSliceLabels()).startsWith("seed 5", "seed 5", "seed 5");
    }

    @Test
    void aRangeOfAHyperstacksChannelsAndFramesKeepsItsDimensions() throws Exception {
        ImagePlus imp = IJ.createHyperStack("cells", 64, 48, 2, 1, 3, 16);
        for (int i = 1; i <= imp.getStackSize(); i++) {
            imp.getStack().getProcessor(i).add(400 * i);
        }
        ControlNetOptions controlNet = ControlNetOptions.of(Generation.of("tiny-sd15", "cells").withSteps(2),
                "tiny-controlnet-canny").withGrey(CHANNELS_AS_GREY);
        ControlNetAction action = new ControlNetAction(client);
        PlanesRun.Options options = new PlanesRun.Options(new SliceRange(Mode.RANGE, "", "", "2-3"),
                PlanesRun.Seeds.INCREMENT, false);

        PlanesRun.Outcome outcome = new PlanesRun(client).run(imp, options.planes(imp, true, 1), 11L, options,
                seed -> action.job(controlNet.withSeed(seed), imp), new PlanesRun.Progress() {});

        ImagePlus result = outcome.image();
        assertThat(result).isInstanceOf(CompositeImage.class);
        assertThat(new int[] {result.getNChannels(), result.getNSlices(), result.getNFrames()}).containsExactly(2, 1, 2);
        assertThat(result.getBitDepth()).isEqualTo(16);
        assertThat(result.getStack().getSliceLabels()).startsWith("seed 11", "seed 12", "seed 13", "seed 14");
    }

    @Test
    void cancellingDuringPlaneTwoKeepsPlaneOnesResultAndRunsNoMore() throws Exception {
        ImagePlus imp = stack16(3);
        PlanesRun.Options options = new PlanesRun.Options(SliceRange.all(), PlanesRun.Seeds.SAME, false);
        int[] plane = {-1};

        PlanesRun.Outcome outcome = new PlanesRun(client).run(imp, options.planes(imp, false, 1), 3L, options,
                seed -> GenerateAction.job(img2img(seed), imp), new PlanesRun.Progress() {
                    @Override
                    public void plane(int index, int count) {
                        plane[0] = index;
                    }

                    @Override
                    public void step(int step, int total, byte[] previewPng) {
                        if (plane[0] == 1) {
                            client.cancel();
                        }
                    }
                });

        assertThat(outcome.cancelled()).isTrue();
        assertThat(outcome.inserted().get(0)).isNotNull();
        assertThat(outcome.inserted().subList(1, 3)).containsOnlyNulls();
        assertThat(Layers.of(imp)).hasSize(1);
        assertThat(Layers.of(imp).get(0).getPosition()).isEqualTo(1);
        assertThat(plane[0]).isEqualTo(1);
    }

    @Test
    void aFailedPlaneIsNamedAndTheRestGoOnOnlyWhenAsked() throws Exception {
        for (boolean goOn : new boolean[] {true, false}) {
            ImagePlus imp = stack16(3);
            PlanesRun.Options options = new PlanesRun.Options(SliceRange.all(), PlanesRun.Seeds.INCREMENT, goOn);
            // Plane 2's job asks for a model the engine does not have.
            PlanesRun.Jobs jobs = seed -> GenerateAction.job(seed == 21
                    ? GenerateOptions.img2img("no-such-model", "cells").withSeed(seed) : img2img(seed), imp);

            PlanesRun.Outcome outcome = new PlanesRun(client).run(imp, options.planes(imp, false, 1), 20L, options,
                    jobs, new PlanesRun.Progress() {});

            assertThat(outcome.failures()).singleElement().asString()
                    .contains("plane 2 of 3 (channel 1, slice 2, frame 1)").contains("no-such-model");
            assertThat(outcome.inserted().get(0)).isNotNull();
            assertThat(outcome.inserted().get(1)).isNull();
            assertThat(outcome.inserted().get(2) != null).as("plane 3 ran").isEqualTo(goOn);
            assertThat(Layers.of(imp)).hasSize(goOn ? 2 : 1);
        }
    }
}
