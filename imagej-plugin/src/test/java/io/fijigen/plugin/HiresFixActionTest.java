package io.fijigen.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fijigen.plugin.client.EngineException;
import io.fijigen.plugin.layers.LayerInserter;
import io.fijigen.proto.client.JobListener;
import org.junit.jupiter.api.Test;

/** Generate with the hires fix against a real engine server on loopback, headless. */
class HiresFixActionTest extends LoopbackClientTestBase {

    @Test
    void txt2imgWithTheHiresFixMakesAnImageAtTheLargerSizeRecordingBothPasses() throws Exception {
        GenerateOptions options = GenerateOptions.txt2img("tiny-sd15", "nuclei").withSteps(2).withSeed(5)
                .withSize(64, 48).withHires(new HiresFix(2, 3, 0.7, "lanczos"));

        Inserted inserted = new GenerateAction(client).run(options, null, JobListener.NONE);

        assertThat(inserted.newImage()).isTrue();
        assertThat(inserted.image().getWidth()).isEqualTo(128);
        assertThat(inserted.image().getHeight()).isEqualTo(96);
        // Size is the first pass's, as the web UI writes it; the Hires keys tell the rest.
        assertThat(inserted.image().getProp(LayerInserter.PARAMETERS_PROPERTY)).contains("Seed: 5, Size: 64x48,"
                + " Model: tiny-sd15, Denoising strength: 0.7, Hires upscale: 2, Hires steps: 3,"
                + " Hires upscaler: Lanczos\n");
        assertThat(inserted.image().getProp(JobRecord.REQUEST_PROPERTY))
                .contains("  hires {\n    scale: 2.0\n    steps: 3\n    strength: 0.7\n    upscaler: \"lanczos\"\n  }");
    }

    @Test
    void aModelThatIsNotAnUpscalerIsRefusedByTheEngineNamingTheField() {
        GenerateOptions options = GenerateOptions.txt2img("tiny-sd15", "nuclei").withSteps(2).withSize(64, 48)
                .withHires(new HiresFix(2, 0, 0.7, "tiny-sd2"));

        assertThatThrownBy(() -> new GenerateAction(client).run(options, null, JobListener.NONE))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("hires.upscaler: model 'tiny-sd2' (sd2) is not an upscaler");
    }

    @Test
    void theHiresFixIsForTxt2imgOnly() {
        assertThatThrownBy(() -> GenerateOptions.img2img("tiny-sd15", "nuclei")
                .withHires(new HiresFix(2, 0, 0.7, "latent")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the hires fix is for txt2img, not img2img from the active image");
        assertThatThrownBy(() -> new HiresFix(1, 0, 0.7, "latent")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hires scale: 1.0 is outside (1, 8] (0: no hires fix)");
    }
}
