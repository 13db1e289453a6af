package io.fijigen.plugin.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.plugin.LoopbackServer;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The plugin's dialogs in a real ImageJ window under Xvfb ({@link DialogScenario}), driven as a
 * user drives them, then the README's macro lines as written. The dialogs' screenshots stay in
 * {@code target/dialogs-test/}.
 */
class DialogsWindowIT {

    @Test
    void theDialogsAsAUserMeetsThem() throws Exception {
        Properties facts;
        try (LoopbackServer server = new LoopbackServer()) {
            facts = XvfbImageJ.run("dialogs-test", DialogScenario.class,
                    Integer.toString(server.connection().port()), XvfbImageJ.work("dialogs-test").toString(),
                    Path.of("../README.md").toAbsolutePath().toString());
        }
        assertThat(facts.stringPropertyNames()).as("error messages shown: %s", facts).noneMatch(k -> k.startsWith("error."));

        // ControlNet from Image through its dialog: the models ControlNet units can guide, a result.
        assertThat(facts.getProperty("controlnet.models")).isEqualTo("tiny-sd15,tiny-sd2,tiny-sd15-inpaint");
        assertThat(facts.getProperty("controlnet.besideImage")).isEqualTo("true");
        assertThat(facts.getProperty("controlnet.onScreen")).isEqualTo("true");
        assertThat(facts.getProperty("controlnet.result")).isEqualTo("[fijigen] a square cell · seed 11 160x120");
        // Preview Edges twice: one edge layer, the second's, through which the image shows.
        assertThat(facts.getProperty("edges.layers")).isEqualTo("[fijigen] edges 100–200");
        assertThat(Double.parseDouble(facts.getProperty("edges.unchangedFraction"))).isGreaterThan(0.8);

        // The chosen model's defaults, from ListModels (the demo registry gives tiny-sd15 4 steps at 128²).
        assertThat(facts.getProperty("generate.defaults")).isEqualTo("model defaults: 4 steps, 128×128");

        // A wrong value: OK disabled, the reason shown; a click on OK keeps the dialog and what was typed.
        assertThat(facts.getProperty("invalid.steps.ok")).isEqualTo("false");
        assertThat(facts.getProperty("invalid.steps.message")).isEqualTo("steps: 'abc' is not a number");
        assertThat(facts.getProperty("invalid.images.ok")).isEqualTo("false");
        assertThat(facts.getProperty("invalid.images.message")).isEqualTo("images: 99 is outside 1..16");
        assertThat(facts.getProperty("invalid.stillOpen")).isEqualTo("true");
        assertThat(facts.getProperty("invalid.kept")).isEqualTo("a typed prompt|4|99");
        assertThat(facts.getProperty("valid.ok")).isEqualTo("true");

        // A dialog's run, its values offered again, then the README's macro line: the macro's values and the defaults.
        assertThat(facts.getProperty("dialog.parameters")).contains("Negative prompt: blurry").contains("CFG scale: 3,")
                .contains("Steps: 2,");
        assertThat(facts.getProperty("reopened")).isEqualTo("blurry|3.0");
        assertThat(facts.getProperty("macro.layers")).isEqualTo("1");
        assertThat(facts.getProperty("macro.parameters")).startsWith("a dividing cell\nSteps: 4,")
                .contains("CFG scale: 7.5,").contains("Seed: 7,").doesNotContain("Negative prompt")
                .contains("Model: tiny-sd15-inpaint");

        assertThat(facts.getProperty("settings.echoChar")).isEqualTo("*");
        assertThat(facts.getProperty("settings.checkboxes")).as("TLS only: the test is a button").isEqualTo("1");

        // The README's macro lines, as written: what each left as the current image.
        int lines = Integer.parseInt(facts.getProperty("readme.lines"));
        assertThat(lines).isEqualTo(21);
        for (int i = 0; i < lines; i++) {
            System.out.println("README macro line " + facts.getProperty("readme." + i));
        }
        assertThat(facts.getProperty("readme.1")).contains("→ img[\"[fijigen] a fluorescent cell, confocal · seed 42\"")
                .contains("160x128x1x1x1");
        assertThat(facts.getProperty("readme.5")).contains("→ img[\"[fijigen] a cell · seed 3\"");
        assertThat(facts.getProperty("readme.7")).contains("→ img[\"[fijigen] x4 a cell · seed 3\"")
                .contains("640x512x1x1x1");
        // The hires fix: 64×48 enlarged by 2.
        assertThat(facts.getProperty("readme.8")).contains("→ img[\"[fijigen] a fluorescent cell · seed 42\"")
                .contains("128x96x1x1x1");
        // Refine Upscale ×2 of the hires result.
        assertThat(facts.getProperty("readme.9"))
                .contains("→ img[\"[fijigen] refined x2 a fluorescent cell · seed 42\"")
                .contains("256x192x1x1x1");
        // Expand Canvas on a 128×96 image by 32, 0, 16, 8: a new 176×104 image, the border selected, the
        // original's pixels beyond overlap + feather kept.
        assertThat(facts.getProperty("readme.11")).contains("→ img[\"[fijigen] expanded field\"")
                .contains("176x104x1x1x1");
        assertThat(facts.getProperty("expand.size")).isEqualTo("176x104");
        assertThat(facts.getProperty("expand.selection")).isEqualTo("Composite " + (176 * 104 - 128 * 96));
        assertThat(facts.getProperty("expand.differing")).isEqualTo("0");
        // Two units, ADE20K labels and a line selection of the image the lines before drew.
        assertThat(facts.getProperty("readme.16")).contains("→ img[\"[fijigen] a room · seed 5\"")
                .contains("128x96x1x1x1");
        // Regional prompts from the ROI Manager: txt2img at the size of the image the ROI was drawn on.
        assertThat(facts.getProperty("readme.20")).contains("→ img[\"[fijigen] a kitchen table · seed 6\"")
                .contains("192x128x1x1x1");
    }
}
