package io.fijigen.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.process.ColorProcessor;
import io.fijigen.plugin.ui.GreyOptions;
import io.fijigen.plugin.ui.ImageConversion;
import io.fijigen.plugin.ui.SourceImage;
import io.fijigen.proto.client.JobListener;
import io.fijigen.proto.v1.UpscaleRequest;
import org.junit.jupiter.api.Test;

/** Upscale x4's action against a real engine on loopback. */
class UpscaleActionTest extends LoopbackClientTestBase {
    @Test
    void upscaleTakesTheSelectionsBoundsIntoANewImageFourTimesLarger() throws Exception {
        ImagePlus imp = TestImages.square(70, 60);
        imp.setRoi(new Roi(10, 8, 24, 20));
        UpscaleRequest request = UpscaleAction.request(UpscaleOptions.of("tiny-x4-upscaler", "x"), imp,
                SourceImage.of(imp, 1, GreyOptions.DEFAULT));
        ColorProcessor sent = ImageConversion.fromPng(request.getImage().toByteArray());
        assertThat(TestImages.rgb(sent, 0, 0, 24, 20)).isEqualTo(TestImages.rgb(imp.getProcessor(), 10, 8, 24, 20));

        Inserted inserted = new UpscaleAction(client).run(
                UpscaleOptions.of("tiny-x4-upscaler", "x").withSteps(2).withSeed(4), imp, JobListener.NONE);

        assertThat(inserted.newImage()).isTrue();
        assertThat(inserted.image().getWidth()).isEqualTo(96);
        assertThat(inserted.image().getHeight()).isEqualTo(80);
        assertThat(inserted.image().getTitle()).isEqualTo("[fijigen] x4 square");
        assertThat(TestImages.rgb(inserted.image().getProcessor(), 0, 0, 96, 80))
                .isEqualTo(TestImages.rgb(TestImages.returned(inserted.result(), 0), 0, 0, 96, 80));
    }
}
