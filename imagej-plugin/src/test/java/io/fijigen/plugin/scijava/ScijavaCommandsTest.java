package io.fijigen.plugin.scijava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.process.ShortProcessor;
import io.fijigen.plugin.HeadlessRoiManager;
import io.fijigen.plugin.LoopbackServerTestBase;
import io.fijigen.plugin.RefineUpscaleAction;
import io.fijigen.plugin.RefineUpscaleOptions;
import io.fijigen.plugin.TestImages;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.layers.LayerInserter;
import io.fijigen.plugin.layers.Layers;
import io.fijigen.plugin.ui.GreyOptions;
import io.fijigen.plugin.ui.Normalisation;
import io.fijigen.proto.client.JobListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/** The SciJava twins, run through a real SciJava context as a script would run them. */
class ScijavaCommandsTest extends LoopbackServerTestBase {
    static Context context;
    static CommandService commands;

    @BeforeAll
    static void startContext() {
        context = new Context(CommandService.class);
        commands = context.service(CommandService.class);
    }

    @AfterAll
    static void disposeContext() {
        context.dispose();
    }

    @Test
    void theCommandsAreIndexedForScripting() {
        for (Class<?> command : new Class<?>[] {GenerateCommand.class, InpaintSelectionCommand.class,
                ControlNetCommand.class, UpscaleCommand.class, ExpandCanvasCommand.class, RefineUpscaleCommand.class}) {
            CommandInfo info = commands.getCommand(command.getName());
            assertThat(info).as(command.getSimpleName()).isNotNull();
            assertThat(info.getMenuPath()).isEmpty();
            assertThat(info.getInput("model")).isNotNull();
        }
    }

    @Test
    void generateReturnsTheNewImage() throws Exception {
        CommandModule module = commands.run(GenerateCommand.class, true,
                "host", "127.0.0.1", "port", server.connection().port(),
                "model", "tiny-sd15", "prompt", "a cell", "steps", 2, "seed", 8L, "width", 64, "height", 64).get();

        ImagePlus result = (ImagePlus) module.getOutput("result");
        assertThat(result.getTitle()).isEqualTo("[fijigen] a cell · seed 8");
        assertThat(result.getWidth()).isEqualTo(64);
    }

    @Test
    void aParameterLeftOutIsItsDefaultNotTheLastRunsValue() throws Exception {
        commands.run(GenerateCommand.class, true, "host", "127.0.0.1", "port", server.connection().port(),
                "model", "tiny-sd15", "prompt", "a cell", "steps", 1, "seed", 8L, "width", 64, "height", 64).get();

        CommandModule module = commands.run(GenerateCommand.class, true,
                "host", "127.0.0.1", "port", server.connection().port(), "model", "tiny-sd15", "steps", 1,
                "width", 64, "height", 64).get();

        // SciJava's persisted values would have given the first run's prompt and seed again.
        ImagePlus result = (ImagePlus) module.getOutput("result");
        assertThat(result.getTitle()).doesNotContain("a cell").doesNotEndWith("seed 8");
        // Guidance left out is the engine's default, not SciJava's 0 for a number left out (CFG off).
        assertThat(result.getProp(LayerInserter.PARAMETERS_PROPERTY)).contains("CFG scale: 7.5,");
    }

    /** The strip RoiRegionsTest generates. */
    private static final int STRIP_WIDTH = 512;
    private static final int STRIP_HEIGHT = 64;
    private static final String CITY = "A cyberpunk city, neon lights";

    /** A txt2img strip of the city; {@code regions} null: the parameter left out. */
    private static int[] city(Boolean regions) throws Exception {
        List<Object> inputs = new ArrayList<>(List.of("host", "127.0.0.1", "port", server.connection().port(),
                "model", "tiny-sd15", "prompt", CITY, "steps", 4, "seed", 5L, "width", STRIP_WIDTH,
                "height", STRIP_HEIGHT));
        if (regions != null) {
            inputs.addAll(List.of("regions", regions));
        }
        ImagePlus result = (ImagePlus) commands.run(GenerateCommand.class, true, inputs.toArray()).get()
                .getOutput("result");
        return (int[]) result.getProcessor().getPixels();
    }

    private static Roi named(Roi roi, String name) {
        roi.setName(name);
        return roi;
    }

    @Test
    void aWholeImageRegionFromTheRoiManagerWithTheBasePromptIsThePlainGeneration() throws Exception {
        int[] plain = city(false);
        int[] regional;
        try (HeadlessRoiManager manager = HeadlessRoiManager.holding(
                named(new Roi(0, 0, STRIP_WIDTH, STRIP_HEIGHT), "prompt: " + CITY))) {
            regional = city(true);
        }
        assertThat(regional).isEqualTo(plain);
    }

    @Test
    void aHalfImageRegionFromTheRoiManagerChangesThePixelsInsideItMoreThanFarFromIt() throws Exception {
        int[] plain = city(false);
        int[] regional;
        int[] regionsLeftOut;
        try (HeadlessRoiManager manager = HeadlessRoiManager.holding(named(new Roi(300, 8, 20, 20), "nucleus 3"),
                named(new Roi(0, 0, STRIP_WIDTH / 2, STRIP_HEIGHT), "prompt: a red apple on a white table"))) {
            regional = city(true);
            regionsLeftOut = city(null);
        }
        double inside = TestImages.meanRgbDiff(plain, regional, STRIP_WIDTH, 0, 192);
        double far = TestImages.meanRgbDiff(plain, regional, STRIP_WIDTH, 384, STRIP_WIDTH);
        System.out.printf("ROI Manager region x < 256 of %dx%d: mean |diff| (8-bit) inside (x < 192) %.2f, far"
                + " (x >= 384) %.2f%n", STRIP_WIDTH, STRIP_HEIGHT, inside, far);
        // Half the strip's tokens carry the region's prompt, and the tiny UNet's self-attention spans the strip, so
        // far pixels change too: measured 6.17 inside, 4.44 far (seed 3: 5.63, 4.37; 256×256: ratios 1.26 to 1.39),
        // where RoiRegionsTest's quarter-strip region makes 7.18 and 2.20.
        assertThat(inside).isGreaterThan(1.25 * far);
        assertThat(regionsLeftOut).as("regions off by default").isEqualTo(plain);
    }

    @Test
    void inpaintAddsALayerToTheGivenImage() throws Exception {
        ImagePlus imp = TestImages.gradient(64, 64);
        imp.setRoi(new Roi(24, 24, 8, 8));

        CommandModule module = commands.run(InpaintSelectionCommand.class, true,
                "host", "127.0.0.1", "port", server.connection().port(), "image", imp,
                "model", "tiny-sd15", "prompt", "x", "steps", 2, "seed", 2L, "maskBlur", 2).get();

        assertThat(module.getOutput("result")).isSameAs(imp);
        assertThat(Layers.of(imp)).hasSize(1);
        assertThat(Layers.of(imp).get(0).getBounds()).isEqualTo(new java.awt.Rectangle(22, 22, 12, 12));
    }

    @Test
    void theGreyParametersNormaliseA16BitImage() throws Exception {
        ShortProcessor ip = new ShortProcessor(32, 32);
        for (int i = 0; i < 32 * 32; i++) {
            ip.set(i % 32, i / 32, 500 + 7 * i);
        }
        ImagePlus imp = new ImagePlus("16-bit", ip);
        imp.getCalibration().pixelWidth = 0.5;

        CommandModule module = commands.run(UpscaleCommand.class, true,
                "host", "127.0.0.1", "port", server.connection().port(), "image", imp,
                "model", "tiny-x4-upscaler", "steps", 2, "seed", 2L,
                "normalisation", "percentiles", "lowerPercentile", 5.0, "upperPercentile", 95.0).get();

        ImagePlus result = (ImagePlus) module.getOutput("result");
        assertThat(result.getBitDepth()).isEqualTo(16);
        assertThat(result.getCalibration().pixelWidth).isEqualTo(0.125);
        assertThat(result.getInfoProperty()).endsWith(
                Normalisation.percentiles(5, 95).resolve(ip, 0, 65535).parametersLine());
    }

    @Test
    void expandCanvasGrowsA16BitImageIntoANewOneWithTheBorderSelected() throws Exception {
        ShortProcessor ip = new ShortProcessor(40, 32);
        for (int i = 0; i < 40 * 32; i++) {
            ip.set(i % 40, i / 40, 1000 + 3 * i);
        }
        ImagePlus imp = new ImagePlus("grey", ip);

        CommandModule module = commands.run(ExpandCanvasCommand.class, true,
                "host", "127.0.0.1", "port", server.connection().port(), "image", imp,
                "model", "tiny-sd15-inpaint", "steps", 2, "seed", 3L, "left", 8, "bottom", 5, "fill", "noise").get();

        ImagePlus result = (ImagePlus) module.getOutput("result");
        assertThat(result.getTitle()).isEqualTo("[fijigen] expanded grey");
        assertThat(result.getBitDepth()).isEqualTo(16);
        assertThat(result.getWidth()).isEqualTo(48);
        assertThat(result.getHeight()).isEqualTo(37);
        assertThat(result.getRoi().getStatistics().pixelCount).isEqualTo(48 * 37 - 40 * 32);
        assertThat(result.getInfoProperty()).contains("Size: 48x37");
    }

    @Test
    void refineUpscaleMakesTheActionsPixels() throws Exception {
        ImagePlus imp = TestImages.square(48, 40);
        RefineUpscaleOptions options = new RefineUpscaleOptions("tiny-sd15", "tiny-controlnet-canny", 2, 0.5, 64, 16,
                "cells", "blur", 4, 6.0, 5L, GreyOptions.DEFAULT);
        ImagePlus expected;
        try (EngineClient client = new EngineClient(server.connection())) {
            expected = new RefineUpscaleAction(client).run(options, imp, JobListener.NONE).image();
        }

        CommandModule module = commands.run(RefineUpscaleCommand.class, true,
                "host", "127.0.0.1", "port", server.connection().port(), "image", imp, "model", "tiny-sd15",
                "controlNet", "tiny-controlnet-canny", "factor", 2.0, "strength", 0.5, "tile", 64, "tileOverlap", 16,
                "prompt", "cells", "negativePrompt", "blur", "steps", 4, "guidance", 6.0, "seed", 5L).get();

        ImagePlus result = (ImagePlus) module.getOutput("result");
        assertThat(result.getTitle()).isEqualTo("[fijigen] refined x2 square");
        assertThat(result.getWidth()).isEqualTo(96);
        assertThat(result.getHeight()).isEqualTo(80);
        assertThat((int[]) result.getProcessor().getPixels()).isEqualTo((int[]) expected.getProcessor().getPixels());
        assertThat(result.getInfoProperty()).contains("Refine upscale: 2", "Tile ControlNet: tiny-controlnet-canny",
                "Seed: 5,", "CFG scale: 6,");
    }

    /** A factor outside the engine's range, (0, 8], is refused before the image is sent, naming the field. */
    @Test
    void refineUpscaleRefusesAFactorOutsideTheEnginesRangeNamingIt() {
        assertThatThrownBy(() -> commands.run(RefineUpscaleCommand.class, true,
                "host", "127.0.0.1", "port", server.connection().port(), "image", TestImages.square(48, 40),
                "model", "tiny-sd15", "factor", 9.0, "steps", 4).get())
                .isInstanceOf(ExecutionException.class)
                .rootCause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("factor: 9.0 is outside (0, 8]");
    }

    @Test
    void anEngineErrorFailsTheModuleWithItsMessage() {
        assertThatThrownBy(() -> commands.run(GenerateCommand.class, true,
                "host", "127.0.0.1", "port", server.connection().port(), "model", "no-such-model").get())
                .isInstanceOf(ExecutionException.class)
                .cause().cause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the engine has no model 'no-such-model' — known models: ");
    }
}
