package io.fijigen.plugin.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.plugin.LoopbackServer;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Properties;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * A real ImageJ window under Xvfb (Debian's {@code xvfb}, which {@code .ci/run} installs): the
 * built, shaded plugin jar in ImageJ's plugins folder registers its menu commands; Inpaint Selection
 * run against an engine on loopback puts a layer on the window; screenshots before and after show
 * the layer's region changed and nothing else. The screenshots stay in
 * {@code target/window-test/} as the test's artifacts.
 */
class InpaintWindowIT {

    @Test
    void inpaintSelectionInARealWindow() throws Exception {
        Path work = XvfbImageJ.work("window-test");
        Properties facts;
        try (LoopbackServer server = new LoopbackServer()) {
            facts = XvfbImageJ.run("window-test", InpaintScenario.class, Integer.toString(server.connection().port()),
                    work.toString());
        }
        Path jar = Path.of(System.getProperty("fijigen.pluginJar"));
        String[] plugin = {"GeneratePlugin", "InpaintSelectionPlugin", "ControlNetPlugin", "UpscalePlugin",
            "RefineUpscalePlugin", "BatchFolderPlugin", "LivePlugin", "ApplyLayerPlugin", "RemoveLayersPlugin",
            "ReproducePlugin", "SavePngPlugin", "JobsPlugin", "ModelsPlugin", "ServerSettingsPlugin", "ExpandCanvasPlugin"};
        for (int i = 0; i < plugin.length; i++) {
            String label = InpaintScenario.COMMANDS[i];
            assertThat(facts.getProperty("menu." + label)).isEqualTo("io.fijigen.plugin.ij1." + plugin[i]);
            assertThat(facts.getProperty("jar." + label)).endsWith(jar.getFileName().toString());
        }
        assertThat(facts.getProperty("overlaySize")).isEqualTo("1");
        assertThat(facts.getProperty("layer.name")).isEqualTo("[fijigen] a round cell · seed 5");
        assertThat(facts.getProperty("magnification")).isEqualTo("1.0");
        // The oval at (96, 64) 64 × 48, grown by the 4-pixel feather.
        assertThat(facts.getProperty("layer.bounds")).isEqualTo("92,60,72,56");

        BufferedImage before = ImageIO.read(work.resolve("before.png").toFile());
        BufferedImage after = ImageIO.read(work.resolve("after.png").toFile());
        Rectangle layer = new Rectangle(92, 60, 72, 56);
        int changedInside = 0;
        for (int y = 0; y < before.getHeight(); y++) {
            for (int x = 0; x < before.getWidth(); x++) {
                boolean same = before.getRGB(x, y) == after.getRGB(x, y);
                if (layer.contains(x, y)) {
                    changedInside += same ? 0 : 1;
                } else {
                    assertThat(same).as("screen pixel (%d, %d) outside the layer", x, y).isTrue();
                }
            }
        }
        // The selection (an oval, π/4 of its box) is repainted; the feather's outer half need not change.
        assertThat(changedInside).isGreaterThan(64 * 48 / 2);
        assertJobsWindow(facts, work);

        System.out.println("window test: round trip of a 4-step tiny-model inpaint from the plugin: first "
                + facts.getProperty("coldRoundTripSeconds") + " s (model load included), then "
                + facts.getProperty("warmRoundTripSeconds") + " s; " + changedInside + " screen pixels changed");
    }

    /**
     * The Jobs window opened by itself on the first job and lists both inpaints, newest first, with
     * their parameters; the long job cancelled with its Cancel button ended cancelled, before its
     * last step, and inserted nothing.
     */
    private static void assertJobsWindow(Properties facts, Path work) throws Exception {
        assertThat(facts.getProperty("jobs.window")).as("the Jobs window is open").isEqualTo("true");
        assertThat(facts.getProperty("jobs.running")).isEqualTo("0");
        assertThat(facts.getProperty("jobs.history")).isEqualTo("2");
        assertThat(facts.getProperty("jobs.history.0")).startsWith("Inpaint Selection · a round cell | finished in ")
                .contains("Seed: 6");
        assertThat(facts.getProperty("jobs.history.1")).contains("Seed: 5");
        BufferedImage jobs = ImageIO.read(work.resolve("jobs.png").toFile());
        assertThat(jobs.getWidth()).isGreaterThanOrEqualTo(400);

        assertThat(facts.getProperty("cancel.button")).isEqualTo("Cancel");
        assertThat(facts.getProperty("cancel.jobEnded")).isEqualTo("true");
        assertThat(facts.getProperty("cancel.statusBeforeClick")).matches("step \\d+/\\d+");
        assertThat(facts.getProperty("cancel.jobs.running")).isEqualTo("0");
        assertThat(facts.getProperty("cancel.jobs.history")).isEqualTo("3");
        String cancelled = facts.getProperty("cancel.jobs.history.0");
        assertThat(cancelled).matches("Inpaint Selection · a long job \\| cancelled at step \\d+/\\d+ after .*")
                .endsWith("nothing was inserted | [Re-run]");
        int step = Integer.parseInt(cancelled.replaceAll(".* at step (\\d+)/.*", "$1"));
        int steps = Integer.parseInt(cancelled.replaceAll(".* at step \\d+/(\\d+) .*", "$1"));
        assertThat(step).as("the job stopped early").isLessThan(steps).isGreaterThanOrEqualTo(3);
        assertThat(steps).isGreaterThanOrEqualTo(InpaintScenario.LONG_JOB_STEPS);
        assertThat(facts.getProperty("cancel.layersAfter")).isEqualTo(facts.getProperty("cancel.layersBefore"));
        assertThat(facts.getProperty("cancel.imagesAfter")).isEqualTo(facts.getProperty("cancel.imagesBefore"));

        // Re-run of the seed-6 job: the same layer again, where it was, pixel for pixel.
        assertThat(facts.getProperty("rerun.button")).isEqualTo("Re-run");
        assertThat(facts.getProperty("rerun.newLayers")).isEqualTo("1");
        assertThat(facts.getProperty("rerun.layer")).isEqualTo(facts.getProperty("rerun.firstLayer"))
                .startsWith("[fijigen] a round cell · seed 6 at ");
        assertThat(facts.getProperty("rerun.samePixels")).isEqualTo("true");
    }
}
