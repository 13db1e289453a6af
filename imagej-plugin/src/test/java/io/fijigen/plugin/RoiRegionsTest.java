package io.fijigen.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.process.ColorProcessor;
import io.fijigen.plugin.ui.ImageConversion;
import io.fijigen.proto.client.JobListener;
import io.fijigen.proto.v1.Region;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ROI Manager entries named {@code prompt: …} as regional prompts, over a loopback engine: the
 * region's own prompt changes the image mostly inside the ROI, and the job's Info lists it.
 */
class RoiRegionsTest extends LoopbackClientTestBase {
    /** A strip wide enough that the tiny UNet's receptive field does not span it (as the engine's test). */
    private static final int WIDTH = 512;
    private static final int HEIGHT = 64;

    private static Roi named(Roi roi, String name) {
        roi.setName(name);
        return roi;
    }

    @Test
    void namesOfTheFormPromptTextAtWeightAreRegions() {
        Roi apple = named(new Roi(0, 0, 10, 10), "prompt: a red apple @1.5");
        Roi cat = named(new Roi(0, 0, 10, 10), "Prompt: a cat @home");
        Roi other = named(new Roi(0, 0, 10, 10), "nucleus 3");
        assertThat(RoiRegions.named(new Roi[] {apple, other, cat, new Roi(1, 1, 2, 2)})).containsExactly(apple, cat);
        List<Region> regions = RoiRegions.of(List.of(apple, cat), 32, 16);
        assertThat(regions).extracting(Region::getPrompt).containsExactly("a red apple", "a cat @home");
        assertThat(regions.get(0).getWeight()).isEqualTo(1.5);
        assertThat(regions.get(1).hasWeight()).isFalse();
        ColorProcessor mask = ImageConversion.fromPng(regions.get(0).getMask().toByteArray());
        assertThat(new int[] {mask.getWidth(), mask.getHeight()}).containsExactly(32, 16);
        assertThat(mask.get(9, 9) & 0xffffff).isEqualTo(0xffffff);
        assertThat(mask.get(10, 9) & 0xffffff).isZero();
    }

    @Test
    void txt2imgWithoutASizeTakesTheImageTheRoisWereDrawnOn() {
        Roi[] rois = {named(new Roi(0, 0, 8, 8), "prompt: a cat")};
        GenerateOptions options = GenerateOptions.txt2img("tiny-sd15", "a city");
        GenerateOptions sized = GenerateAction.withRegions(options, rois, new ImagePlus("canvas",
                new ColorProcessor(96, 64)));
        assertThat(new int[] {sized.width(), sized.height()}).containsExactly(96, 64);
        assertThat(sized.regions()).hasSize(1);
        assertThatThrownBy(() -> GenerateAction.withRegions(options, rois, null))
                .hasMessageContaining("regions need the image's size");
    }

    @Test
    void txt2imgOfAnotherSizeGetsTheRoisScaledFromTheImageTheyWereDrawnOn() {
        // The left half of a 96×64 image, generated at 192×32: the left half there too.
        Roi[] rois = {named(new Roi(0, 0, 48, 64), "prompt: a cat")};
        GenerateOptions options = GenerateOptions.txt2img("tiny-sd15", "a city").withSize(192, 32);

        GenerateOptions sized = GenerateAction.withRegions(options, rois, new ImagePlus("canvas",
                new ColorProcessor(96, 64)));

        ColorProcessor mask = ImageConversion.fromPng(sized.regions().get(0).getMask().toByteArray());
        assertThat(new int[] {mask.getWidth(), mask.getHeight()}).containsExactly(192, 32);
        assertThat(mask.get(94, 16) & 0xffffff).isEqualTo(0xffffff);
        assertThat(mask.get(97, 16) & 0xffffff).isZero();
        assertThat(mask.get(0, 0) & 0xffffff).isEqualTo(0xffffff);
        assertThat(mask.get(191, 31) & 0xffffff).isZero();
    }

    @Test
    void aRegionRoiChangesThePixelsMostlyInsideIt() throws Exception {
        GenerateOptions options = GenerateOptions.txt2img("tiny-sd15", "A cyberpunk city, neon lights").withSteps(4)
                .withSeed(3).withSize(WIDTH, HEIGHT);
        Roi[] rois = {named(new Roi(0, 0, 128, HEIGHT), "prompt: a red apple on a white table")};
        Inserted plain = new GenerateAction(client).run(options, null, JobListener.NONE);
        Inserted regional = new GenerateAction(client).run(GenerateAction.withRegions(options, rois, null), null,
                JobListener.NONE);
        int[] a = (int[]) plain.image().getProcessor().getPixels();
        int[] b = (int[]) regional.image().getProcessor().getPixels();
        double inside = TestImages.meanRgbDiff(a, b, WIDTH, 0, 96);
        double far = TestImages.meanRgbDiff(a, b, WIDTH, 320, WIDTH);
        System.out.printf("ROI region x < 128 of %dx%d: mean |diff| (8-bit) inside (x < 96) %.2f, far (x ≥ 320) %.2f%n",
                WIDTH, HEIGHT, inside, far);
        assertThat(inside).isGreaterThan(2.5 * far);
        assertThat(regional.image().getInfoProperty()).contains("Region 1: \"a red apple on a white table @1\"");
    }
}
