package io.fijigen.plugin.ij1;

import ij.CompositeImage;
import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.Macro;
import ij.WindowManager;
import ij.gui.ImageRoi;
import ij.gui.OvalRoi;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import io.fijigen.plugin.LoopbackServer;
import io.fijigen.plugin.LoopbackServerTestBase;
import io.fijigen.plugin.TestImages;
import io.fijigen.plugin.client.Connection;
import io.fijigen.plugin.client.Settings;
import io.fijigen.plugin.engine.EngineSettings;
import io.fijigen.plugin.layers.LayerInserter;
import io.fijigen.plugin.layers.Layers;
import io.fijigen.plugin.ui.Normalisation;
import io.fijigen.plugin.ui.ValueRange;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The menu commands driven as a macro drives them, headless: ImageJ runs {@code run(command,
 * options)} on a thread named {@code Run$_…} holding the options, which is what this test does
 * through {@link IJ#runPlugIn(String, String)}. (A macro's {@code run("Generate...")}
 * looks the command up in ImageJ's menus, which a headless ImageJ cannot build: the window test
 * does that, with the shaded jar in a real ImageJ.)
 */
class MacroCommandsTest extends LoopbackServerTestBase {
    @BeforeAll
    static void saveSettings() {
        Settings.save(server.connection().withTimeout(120));
    }

    /** Runs {@code plugin} with macro {@code options} on {@code imp}; returns the thread's current image after. */
    static ImagePlus runMacro(Class<?> plugin, ImagePlus imp, String options) throws Exception {
        AtomicReference<ImagePlus> current = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                Macro.setOptions(options);
                // The active image, as a macro's selectImage() makes it (per thread, headless).
                WindowManager.setTempCurrentImage(imp);
                IJ.runPlugIn(plugin.getName(), "");
                current.set(WindowManager.getCurrentImage());
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                Macro.setOptions(null);
            }
        }, "Run$_fijigen macro test");
        thread.start();
        thread.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        return current.get();
    }

    /** What ImageJ printed while {@code body} ran (headless, IJ.log and IJ.error go to standard output). */
    static String printed(ThrowingRunnable body) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** The size fields are txt2img's: img2img keeps the image's size, its result being a layer on it. */
    @Test
    void generateFromAMacroAddsAnImg2ImgLayer() throws Exception {
        ImagePlus imp = TestImages.gradient(64, 64);

        runMacro(GeneratePlugin.class, imp,
                "model=tiny-sd15 prompt=[a cell] steps=2 seed=42 width=32 height=48 from strength=1");

        assertThat(Layers.of(imp)).extracting(ImageRoi::getName).containsExactly("[fijigen] a cell · seed 42");
        assertThat(Layers.of(imp).get(0).getBounds()).isEqualTo(new java.awt.Rectangle(0, 0, 64, 64));
        assertThat(imp.getInfoProperty()).contains("[fijigen] a cell · seed 42").contains("Seed: 42");
    }

    @Test
    void txt2imgWithSeveralImagesMakesAStackLabelledWithTheSeed() throws Exception {
        ImagePlus made = runMacro(GeneratePlugin.class, null,
                "model=tiny-sd15 prompt=[nuclei] steps=2 seed=3 width=64 height=48 images=2 scheduler=ddim");

        assertThat(made.getTitle()).isEqualTo("[fijigen] nuclei · seed 3");
        assertThat(made.getStackSize()).isEqualTo(2);
        assertThat(made.getWidth()).isEqualTo(64);
        assertThat(made.getHeight()).isEqualTo(48);
        assertThat(made.getStack().getSliceLabel(1)).isEqualTo("seed 3 · 1/2");
        assertThat(made.getInfoProperty()).contains("Sampler: DDIM");
    }

    @Test
    void inpaintThenApplyThenRemoveFromMacros() throws Exception {
        ImagePlus imp = TestImages.gradient(64, 64);
        imp.setRoi(new OvalRoi(20, 20, 16, 12));
        int[] before = ((int[]) imp.getProcessor().getPixels()).clone();

        runMacro(InpaintSelectionPlugin.class, imp, "model=tiny-sd15-inpaint prompt=[x] steps=2 seed=1 mask=2 "
                + "grow=1 padding=8");

        ImageRoi layer = Layers.of(imp).get(0);
        assertThat(layer.getBounds()).isEqualTo(new java.awt.Rectangle(17, 17, 22, 18));
        imp.deleteRoi();
        runMacro(ApplyLayerPlugin.class, imp, "layer=[" + layer.getName() + "]");
        assertThat(TestImages.rgb(imp.getProcessor(), 17, 17, 22, 18))
                .isEqualTo(TestImages.rgb(layer.getProcessor(), 0, 0, 22, 18));
        assertThat(imp.getProcessor().get(0, 0) & 0xffffff).isEqualTo(before[0] & 0xffffff);

        runMacro(RemoveLayersPlugin.class, imp, "");
        assertThat(Layers.of(imp)).isEmpty();
    }

    @Test
    void controlNetEdgesOnlyAddsTheEdgeLayerAndUpscaleMakesANewImage() throws Exception {
        ImagePlus imp = TestImages.gradient(40, 32);

        runMacro(ControlNetPlugin.class, imp, "model=tiny-sd15 controlnet=tiny-controlnet-canny low=50 high=150 edges");
        assertThat(Layers.of(imp)).extracting(ImageRoi::getName).containsExactly("[fijigen] edges 50–150");

        ImagePlus upscaled = runMacro(UpscalePlugin.class, imp, "model=tiny-x4-upscaler steps=2 seed=9");
        assertThat(upscaled.getWidth()).isEqualTo(160);
        assertThat(upscaled.getHeight()).isEqualTo(128);
    }

    /** Refine Upscale on the planes its Process names: each plane as the command alone refines it with that seed. */
    @Test
    void refineUpscaleRunsOnEveryPlaneItsProcessNames() throws Exception {
        ImageStack stack = new ImageStack(32, 32);
        stack.addSlice(TestImages.gradient(32, 32).getProcessor());
        ImageProcessor inverted = TestImages.gradient(32, 32).getProcessor();
        inverted.invert();
        stack.addSlice(inverted);
        ImagePlus imp = new ImagePlus("two planes", stack);
        String refine = "model=tiny-sd15 prompt=[cells] steps=4 seed=5 factor=2 tile=64";

        ImagePlus both = runMacro(RefineUpscalePlugin.class, imp, refine + " process=[all slices] seeds=[seed + index]");
        imp.setSlice(1);
        ImagePlus first = runMacro(RefineUpscalePlugin.class, imp, refine);

        assertThat(List.of(both.getWidth(), both.getHeight(), both.getStackSize())).containsExactly(64, 64, 2);
        assertThat(first.getStackSize()).isEqualTo(1);
        // RGB only: a stack's planes hold no alpha byte, a single image's 0xff.
        int[] alone = TestImages.rgb(first.getProcessor(), 0, 0, 64, 64);
        assertThat(TestImages.rgb(both.getStack().getProcessor(1), 0, 0, 64, 64)).isEqualTo(alone);
        assertThat(TestImages.rgb(both.getStack().getProcessor(2), 0, 0, 64, 64)).isNotEqualTo(alone);
    }

    /** 16-bit, 64 × 48, values 1000..3300 in a ramp, display range 1000..3000. */
    static ImagePlus sixteenBit() {
        ShortProcessor ip = new ShortProcessor(64, 48);
        for (int i = 0; i < 64 * 48; i++) {
            ip.set(i % 64, i / 64, 1000 + i * 3 % 2300);
        }
        ImagePlus imp = new ImagePlus("16-bit", ip);
        imp.setDisplayRange(1000, 3000);
        return imp;
    }

    @Test
    void theGreyKeysOfAMacroLineAreReplayed() throws Exception {
        ImagePlus imp = sixteenBit();
        ValueRange percentiles = Normalisation.percentiles(2, 98).resolve(imp.getProcessor(), 1000, 3000);

        runMacro(GeneratePlugin.class, imp, "model=tiny-sd15 prompt=[a cell] steps=2 seed=42 from "
                + "normalisation=percentiles lower=2 upper=98");

        ImageRoi layer = Layers.of(imp).get(0);
        assertThat(layer.getProcessor().getBitDepth()).isEqualTo(16);
        assertThat((String) layer.getProperty(LayerInserter.PARAMETERS_PROPERTY))
                .endsWith(percentiles.parametersLine());

        imp.setRoi(new OvalRoi(20, 16, 16, 12));
        runMacro(InpaintSelectionPlugin.class, imp, "model=tiny-sd15-inpaint prompt=[x] steps=2 seed=1 "
                + "normalisation=[display range]");
        assertThat((String) Layers.of(imp).get(1).getProperty(LayerInserter.PARAMETERS_PROPERTY))
                .endsWith("Normalisation: display range = 1000.0 to 3000.0");

        imp.deleteRoi();
        ImagePlus upscaled = runMacro(UpscalePlugin.class, imp, "model=tiny-x4-upscaler steps=2 seed=9 "
                + "normalisation=percentiles lower=2 upper=98");
        assertThat(upscaled.getBitDepth()).isEqualTo(16);
        assertThat(upscaled.getInfoProperty()).endsWith(percentiles.parametersLine());
    }

    @Test
    void aCompositesChannelGoesAsGreyWhenAMacroSaysSo() throws Exception {
        ImageStack stack = new ImageStack(64, 48);
        stack.addSlice(sixteenBit().getProcessor());
        stack.addSlice(sixteenBit().getProcessor());
        ImagePlus plain = new ImagePlus("two channels", stack);
        plain.setDimensions(2, 1, 1);
        CompositeImage imp = new CompositeImage(plain, IJ.COMPOSITE);
        imp.setC(2);

        runMacro(ControlNetPlugin.class, imp, "model=tiny-sd15 controlnet=tiny-controlnet-canny low=50 high=150 edges "
                + "composite=[channel as grey]");
        assertThat(Layers.of(imp)).extracting(ImageRoi::getName).containsExactly("[fijigen] edges 50–150");

        runMacro(GeneratePlugin.class, imp, "model=tiny-sd15 prompt=[a cell] steps=2 seed=5 from "
                + "composite=[channel as grey]");
        ImageRoi layer = Layers.of(imp).get(1);
        assertThat(layer.getProcessor().getBitDepth()).isEqualTo(16);
        assertThat(layer.getCPosition()).isEqualTo(2);

        runMacro(GeneratePlugin.class, imp, "model=tiny-sd15 prompt=[a cell] steps=2 seed=5 from");
        assertThat(Layers.of(imp).get(2).getProcessor().getBitDepth()).as("the RGB rendering, by default")
                .isEqualTo(24);
    }

    @Test
    void serverSettingsAreSavedAndTestedFromAMacro() throws Exception {
        Connection before = Settings.load();
        try {
            String log = printed(() -> runMacro(ServerSettingsPlugin.class, null, "host=127.0.0.1 port="
                    + before.port() + " token=[] timeout=30 test"));
            assertThat(Settings.load()).isEqualTo(new Connection("127.0.0.1", before.port(), null, false, 30));
            assertThat(log).contains("serves").contains("tiny-sd15 (sd15").contains("tiny-x4-upscaler (upscaler");
        } finally {
            Settings.save(before);
        }
    }

    @Test
    void engineLogSaysWhyItHasNothingToShowForARemoteServerAndAManagedEngineNotStartedYet() throws Exception {
        EngineSettings remote = EngineSettings.load();
        assertThat(remote.managed()).as("the test's engine: the saved loopback server").isFalse();
        try {
            String printed = printed(() -> runMacro(EngineLogPlugin.class, null, ""));
            assertThat(printed.strip()).isEqualTo("The plugin uses the remote server " + Settings.load()
                    + " (Engine: remote in Plugins › fijigen › Server Settings...): its output is on the computer it"
                    + " runs on. Engine Log shows what the engine the plugin starts on this computer writes (Engine:"
                    + " managed).");

            new EngineSettings(true, remote.engineJar(), remote.memoryMib(), remote.device(), remote.libtorch()).save();
            printed = printed(() -> runMacro(EngineLogPlugin.class, null, ""));
            assertThat(printed.strip()).isEqualTo("The engine on this computer (Engine: managed in Plugins › fijigen ›"
                    + " Server Settings...) has not started yet: the first command that needs it starts it, and Engine"
                    + " Log then shows what it writes.");
        } finally {
            remote.save();
        }
    }

    @Test
    void errorsAreReadableMessagesNotStackTraces() throws Exception {
        Connection before = Settings.load();
        try (LoopbackServer guarded = new LoopbackServer("secret")) {
            Settings.save(guarded.connection().withToken("wrong"));
            ImagePlus imp = TestImages.gradient(32, 32);
            String out = printed(() -> runMacro(GeneratePlugin.class, imp, "model=tiny-sd15 prompt=x steps=1"));
            assertThat(out).contains("the engine refused the token — set the token in Plugins › fijigen › Server Settings…")
                    .doesNotContain("UNAUTHENTICATED").doesNotContain("Bearer").doesNotContain("at io.");
            assertThat(imp.getOverlay()).isNull();

            Settings.save(before);
            out = printed(() -> runMacro(InpaintSelectionPlugin.class, imp, "model=tiny-sd15 prompt=x"));
            assertThat(out).contains("make an area selection").doesNotContain("Exception");

            out = printed(() -> runMacro(GeneratePlugin.class, imp, "model=tiny-sd15 prompt=x steps=many"));
            assertThat(out).contains("steps: 'many' is not a number");

            // The plugin's own refusal, before any request: the server's would name controls[0].model_id.
            out = printed(() -> runMacro(ControlNetPlugin.class, imp, "model=tiny-sd2 controlnet=tiny-controlnet-canny"
                    + " prompt=x steps=1"));
            assertThat(out).contains("ControlNet 'tiny-controlnet-canny' is made for sd15 models, not for model"
                    + " 'tiny-sd2' (sd2): choose a ControlNet made for sd2").doesNotContain("controls[0]");
        } finally {
            Settings.save(before);
        }
    }

    @Test
    void saveAsPngWithRecordTakesItsFileFromTheMacro(@TempDir Path folder) throws Exception {
        ImagePlus result = TestImages.gradient(16, 8);
        result.setProp(LayerInserter.PARAMETERS_PROPERTY, "a cell\nSteps: 2, Seed: 4");
        Path file = folder.resolve("cell.png");

        runMacro(SavePngPlugin.class, result, "save=[" + file + "]");

        ImagePlus reopened = IJ.openImage(file.toString());
        TestImages.assertSameRgb((int[]) reopened.getProcessor().getPixels(), (int[]) result.getProcessor().getPixels(),
                16);
        assertThat(new String(java.nio.file.Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
                .contains("iTXtparameters").contains("Steps: 2, Seed: 4");
    }
}
