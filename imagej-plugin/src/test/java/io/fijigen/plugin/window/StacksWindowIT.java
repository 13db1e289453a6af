package io.fijigen.plugin.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.plugin.LoopbackServer;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Stacks and hyperstacks in a real ImageJ under Xvfb ({@link StacksScenario}) against an engine on
 * loopback with the tiny models: all slices of a calibrated 16-bit stack, a range of a hyperstack's
 * frames, the macro recorder's line for a dialog's stack options replayed, the README's stack macro
 * lines, and Esc on the keyboard during plane 2. The screenshots stay in {@code target/stacks-test/}.
 */
class StacksWindowIT {
    private static final String CALIBRATION = "0.25 µm, origin 10.0,5.0";

    @Test
    void stacksAndHyperstacksAsAUserAndAMacroRunThem() throws Exception {
        Properties facts;
        try (LoopbackServer server = new LoopbackServer()) {
            facts = XvfbImageJ.run("stacks-test", StacksScenario.class,
                    Integer.toString(server.connection().port()), XvfbImageJ.work("stacks-test").toString(),
                    Path.of("../README.md").toAbsolutePath().toString());
        }
        assertThat(facts.stringPropertyNames()).as("error messages shown: %s", facts)
                .noneMatch(k -> k.startsWith("error."));

        // ControlNet over all slices: one new 3-slice stack in the source's type and calibration, seed + index.
        assertThat(facts.getProperty("allSlices.controlnet.title")).isEqualTo("[fijigen] a cell · seed 20");
        assertThat(facts.getProperty("allSlices.controlnet.bitDepth")).isEqualTo("16");
        assertThat(facts.getProperty("allSlices.controlnet.dimensions")).isEqualTo("1x3x1");
        assertThat(facts.getProperty("allSlices.controlnet.calibration")).isEqualTo(CALIBRATION);
        assertThat(facts.getProperty("allSlices.controlnet.labels")).isEqualTo("seed 20|seed 21|seed 22");
        // img2img over all slices: a 16-bit layer at each slice, the same seed for all, no new image.
        assertThat(facts.getProperty("allSlices.img2img.layers")).isEqualTo("[fijigen] a cell · seed 40 @1 16-bit"
                + "|[fijigen] a cell · seed 40 @2 16-bit|[fijigen] a cell · seed 40 @3 16-bit");
        assertThat(facts.getProperty("allSlices.img2img.images")).as("the stack, the hyperstack, ControlNet's")
                .isEqualTo("3");

        // Frames 2-3 of a 2-channel hyperstack: each channel as grey keeps both; the RGB rendering is one.
        assertThat(facts.getProperty("range.grey.dimensions")).isEqualTo("2x1x2");
        assertThat(facts.getProperty("range.grey.composite")).isEqualTo("true");
        assertThat(facts.getProperty("range.grey.bitDepth")).isEqualTo("16");
        assertThat(facts.getProperty("range.grey.calibration")).isEqualTo(CALIBRATION);
        assertThat(facts.getProperty("range.grey.labels")).isEqualTo("seed 11|seed 12|seed 13|seed 14");
        assertThat(facts.getProperty("range.rgb.dimensions")).isEqualTo("1x1x2");
        assertThat(facts.getProperty("range.rgb.bitDepth")).isEqualTo("24");
        assertThat(facts.getProperty("range.rgb.labels")).isEqualTo("seed 11|seed 11");

        assertRecorder(facts);
        assertReadmeLines(facts);

        // Esc on the keyboard while plane 2 of 3 runs: plane 1's layer stays, planes 2 and 3 get none.
        assertThat(facts.getProperty("esc.statusBeforeKey"))
                .matches("Generate: plane 2 of 3, step \\d+/\\d+ \\(Esc cancels\\)");
        assertThat(facts.getProperty("esc.focusedWindow")).as("the window the key went to").isEqualTo("cells esc");
        assertThat(facts.getProperty("esc.jobEnded")).isEqualTo("true");
        assertThat(facts.getProperty("esc.layers")).isEqualTo("[fijigen] a long job · seed 50 @1 16-bit");
        assertThat(facts.getProperty("esc.statusAfter")).isEqualTo("Generate: cancelled, 1 of 3 planes done");

        for (String part : new String[] {"allSlices", "range", "recorder", "readme", "esc"}) {
            System.out.println("stacks window test: " + part + " took " + facts.getProperty(part + ".seconds") + " s");
        }
    }

    /** The recorder's lines carry the new keys, and replayed they make the same images. */
    private static void assertRecorder(Properties facts) {
        assertThat(facts.getProperty("recorder.controlnet.line"))
                .startsWith("run(\"ControlNet from Image...\", \"prompt=[a recorded cell] ")
                .contains(" normalisation=percentiles lower=1 upper=99.8 composite=[channel as grey] ")
                .contains(" process=range channels=[] slices=[] frames=2-3 seeds=[seed + index]");
        assertThat(facts.getProperty("recorder.controlnet.dialog.dimensions")).isEqualTo("2x1x2");
        assertThat(facts.getProperty("recorder.controlnet.dialog.labels")).isEqualTo("seed 30|seed 31|seed 32|seed 33");
        assertSameImage(facts, "recorder.controlnet.replay", "recorder.controlnet.dialog");
        assertThat(facts.getProperty("recorder.controlnet.samePixels")).isEqualTo("true");

        assertThat(facts.getProperty("recorder.generate.line"))
                .startsWith("run(\"Generate...\", \"prompt=[a recorded variant] ")
                .contains(" images=2 ").contains(" statistics ").contains(" from ")
                .contains(" process=[current slice] ");
        assertSameImage(facts, "recorder.generate.replay.0", "recorder.generate.dialog.0");
        assertSameImage(facts, "recorder.generate.replay.1", "recorder.generate.dialog.1");
        // The statistics stack, then the 2 variants in the stack's type and calibration.
        assertThat(facts.getProperty("recorder.generate.replay.0.labels")).isEqualTo("mean|standard deviation");
        assertThat(facts.getProperty("recorder.generate.replay.0.bitDepth")).isEqualTo("32");
        assertThat(facts.getProperty("recorder.generate.replay.1.labels"))
                .isEqualTo("seed 60 · 1/2|seed 60 · 2/2");
        assertThat(facts.getProperty("recorder.generate.replay.1.bitDepth")).isEqualTo("16");
        assertThat(facts.getProperty("recorder.generate.replay.1.calibration")).isEqualTo(CALIBRATION);
    }

    /** The images described as {@code actual} and {@code expected}: the same title, type, dimensions and labels. */
    private static void assertSameImage(Properties facts, String actual, String expected) {
        for (String property : new String[] {"title", "bitDepth", "dimensions", "calibration", "labels"}) {
            assertThat(facts.getProperty(actual + "." + property)).as(actual + "." + property)
                    .isEqualTo(facts.getProperty(expected + "." + property));
        }
    }

    /** The README's stack macro lines, as written: what each left as the current image. */
    private static void assertReadmeLines(Properties facts) {
        int lines = Integer.parseInt(facts.getProperty("readme.lines"));
        for (int i = 0; i < lines; i++) {
            System.out.println("README stack macro line " + facts.getProperty("readme." + i));
        }
        assertThat(lines).isEqualTo(7);
        assertThat(facts.getProperty("readme.1")).contains("→ img[\"[fijigen] a cell · seed 3\"")
                .contains("16-bit, 64x48x1x3x1]").contains("labels seed 3|seed 4|seed 5 ");
        assertThat(facts.getProperty("readme.3")).contains("→ img[\"stack\"")
                .contains("layers [fijigen] a cell · seed 5 @2 16-bit|[fijigen] a cell · seed 5 @3 16-bit new []");
        assertThat(facts.getProperty("readme.4")).contains("→ img[\"[fijigen] a cell · seed 7\"")
                .contains("16-bit, 64x48x1x3x1]").contains("labels seed 7 · 1/3|seed 7 · 2/3|seed 7 · 3/3 ")
                .contains("new [img[\"[fijigen] statistics · [fijigen] a cell · seed 7\"");
        assertThat(facts.getProperty("readme.6")).contains("16-bit, 64x48x2x1x2]")
                .contains("labels seed 3|seed 4|seed 5|seed 6 ");
    }
}
