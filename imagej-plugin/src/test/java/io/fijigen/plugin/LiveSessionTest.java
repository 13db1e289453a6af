package io.fijigen.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import ij.ImagePlus;
import ij.gui.ImageRoi;
import ij.process.ImageProcessor;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.layers.LayerInserter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Live mode against a loopback engine: changes in quick succession run few jobs, the newest state
 * wins, a job in flight is cancelled on the server, Keep makes a normal undoable layer, closing
 * removes the live layer.
 */
class LiveSessionTest extends LoopbackServerTestBase {
    private static final Generation GENERATION = Generation.of("tiny-sd15", "a cell").withSteps(2).withSeed(5);

    /** What the listener heard. */
    private static final class Heard implements LiveSession.Listener {
        final List<Double> updates = new CopyOnWriteArrayList<>();
        final List<String> failures = new CopyOnWriteArrayList<>();

        @Override
        public void updated(double seconds) {
            updates.add(seconds);
        }

        @Override
        public void failed(String message) {
            failures.add(message);
        }
    }

    private static long jobs(String outcome) {
        Matcher count = Pattern.compile("fijigen_jobs_total\\{outcome=\"" + outcome + "\"} (\\d+)")
                .matcher(server.metrics());
        assertThat(count.find()).isTrue();
        return Long.parseLong(count.group(1));
    }

    /** Paints a square at {@code k}: a brush stroke's worth of change. */
    private static void stroke(ImagePlus imp, int k) {
        ImageProcessor ip = imp.getProcessor();
        ip.setColor(0x00ff00 + k);
        ip.fillRect(4 + 8 * k, 4 + 8 * k, 6, 6);
        imp.updateAndDraw();
    }

    private static void awaitUpdates(Heard heard, int count) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (heard.updates.size() < count && heard.failures.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(heard.failures).isEmpty();
        assertThat(heard.updates).hasSizeGreaterThanOrEqualTo(count);
    }

    @Test
    void fiveChangesInQuickSuccessionRunOneJobAndTheLiveLayerShowsTheLastState() throws Exception {
        ImagePlus imp = TestImages.gradient(128, 128);
        Heard heard = new Heard();
        long succeeded = jobs("succeeded");
        try (EngineClient client = new EngineClient(server.connection());
                LiveSession live = new LiveSession(client, imp, new LiveSession.Options(GENERATION, 0.6), heard, 1000)) {
            // Each change within the pause after the one before, on a loaded machine too.
            for (int k = 0; k < 5; k++) {
                stroke(imp, k);
                live.changed();
                Thread.sleep(100);
            }
            awaitUpdates(heard, 1);
            Thread.sleep(500);

            // One state outlasted the pause: one job ran, on the last state.
            assertThat(jobs("succeeded") - succeeded).isEqualTo(1);
            ImageRoi layer = live.liveLayer();
            assertThat(layer.getName()).isEqualTo(LiveSession.LIVE_LAYER);
            ImagePlus alone = new ImagePlus("same state", imp.getProcessor().duplicate());
            Inserted expected = GenerateAction.job(GenerateOptions.img2img("tiny-sd15", "a cell").with(GENERATION)
                    .withStrength(0.6), alone).run(client, null);
            assertThat((int[]) layer.getProcessor().getPixels())
                    .isEqualTo((int[]) expected.layer().getProcessor().getPixels());
            stroke(imp, 5);
            live.changed();
            awaitUpdates(heard, 2);
            System.out.printf("live mode, tiny-sd15 128², 2 steps: state sent → live layer updated in %.3f s"
                    + " (first, the model loading), %.3f s (warm)%n", heard.updates.get(0), heard.updates.get(1));

            // Keep: a normal layer, in the Info, which Undo removes.
            ImageRoi kept = live.keep();
            assertThat(kept.getName()).isEqualTo(LayerInserter.layerName("a cell", 5));
            assertThat(imp.getInfoProperty()).contains(kept.getName()).contains("Seed: 5");
            assertThat(live.liveLayer()).isNull();
            TestImages.undo(imp);
            assertThat(imp.getOverlay().size()).isZero();
        }
    }

    @Test
    void aChangeCancelsTheJobInFlightOnTheServerAndClosingRemovesTheLiveLayer() throws Exception {
        ImagePlus imp = TestImages.gradient(64, 64);
        Heard heard = new Heard();
        long stopped = jobs("cancelled") + jobs("dropped");
        try (EngineClient client = new EngineClient(server.connection())) {
            LiveSession live = new LiveSession(client, imp, new LiveSession.Options(GENERATION.withSteps(400), 1.0),
                    heard, 50);
            live.changed();
            Thread.sleep(1500);
            live.setOptions(new LiveSession.Options(GENERATION, 0.6));
            awaitUpdates(heard, 1);

            // Cancelled while it ran, or dropped while it waited behind another client's job.
            assertThat(jobs("cancelled") + jobs("dropped") - stopped).isEqualTo(1);
            assertThat(imp.getOverlay().size()).isEqualTo(1);
            live.close();
            assertThat(imp.getOverlay().size()).isZero();
        }
    }
}
