package io.fijigen.plugin.window;

import static org.assertj.core.api.Assertions.assertThat;

import ij.IJ;
import ij.ImagePlus;
import io.fijigen.plugin.GenerateAction;
import io.fijigen.plugin.GenerateOptions;
import io.fijigen.plugin.Generation;
import io.fijigen.plugin.Inserted;
import io.fijigen.plugin.LoopbackServer;
import io.fijigen.plugin.client.EngineClient;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Live mode in a real ImageJ under Xvfb ({@link LiveScenario}) against an engine on loopback: five
 * strokes within a second run at most two jobs, the live layer ends showing the last state's result,
 * Keep gives a normal layer, Undo removes it, closing the panel leaves no live layer. The
 * screenshot stays in {@code target/live-test/}.
 */
class LiveWindowIT {
    private static long jobs(LoopbackServer server, String outcome) {
        Matcher count = Pattern.compile("fijigen_jobs_total\\{outcome=\"" + outcome + "\"} (\\d+)")
                .matcher(server.metrics());
        assertThat(count.find()).isTrue();
        return Long.parseLong(count.group(1));
    }

    @Test
    void strokesUpdateOneLiveLayerWhichKeepAndUndoTurnIntoALayerAndBack() throws Exception {
        Properties facts;
        Path work = XvfbImageJ.work("live-test");
        try (LoopbackServer server = new LoopbackServer()) {
            facts = XvfbImageJ.run("live-test", LiveScenario.class, Integer.toString(server.connection().port()),
                    work.toString());
            assertThat(facts.stringPropertyNames()).as("error messages shown: %s", facts)
                    .noneMatch(k -> k.startsWith("error.") || k.equals("failure"));
            long succeeded = jobs(server, "succeeded");
            System.out.printf("live mode under Xvfb: 5 strokes in %s s; jobs run %d (1 for the image as opened),"
                    + " cancelled %d, dropped %d; %s%n", facts.getProperty("strokes.seconds"), succeeded,
                    jobs(server, "cancelled"), jobs(server, "dropped"), facts.getProperty("live.status"));
            assertThat(succeeded - 1).as("jobs run for the strokes").isBetween(1L, 2L);

            // The live layer is the last state's img2img, as the panel's defaults send it.
            try (EngineClient client = new EngineClient(server.connection())) {
                ImagePlus state = IJ.openImage(work.resolve("state.tif").toString());
                Generation generation = new Generation(facts.getProperty("live.model"), "", "", 0, null, 1L, "", 1, 0,
                        false);
                Inserted expected = GenerateAction.job(GenerateOptions.img2img(generation.modelId(), "")
                        .with(generation).withStrength(0.5), state).run(client, null);
                ImagePlus live = IJ.openImage(work.resolve("live.tif").toString());
                // The TIFF holds no alpha: the layer's opaque pixels read back with alpha 255.
                assertThat(Arrays.stream((int[]) live.getProcessor().getPixels()).map(argb -> argb & 0xffffff)
                        .toArray()).isEqualTo((int[]) expected.layer().getProcessor().getPixels());
            }
        }
        assertThat(facts.getProperty("live.status")).matches("Live: updated in \\d+\\.\\d\\d s");
        assertThat(facts.getProperty("live.layers")).isEqualTo("[fijigen] live @0 24-bit");
        assertThat(facts.getProperty("kept.layers")).isEqualTo("[fijigen]  · seed 1 @0 24-bit");
        assertThat(facts.getProperty("undone.layers")).isEmpty();
        assertThat(facts.getProperty("closed.layers")).isEmpty();
        assertThat(facts.getProperty("closed.panels")).isEqualTo("0");
    }
}
