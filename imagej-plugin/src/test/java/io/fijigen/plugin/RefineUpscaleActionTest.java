package io.fijigen.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import ij.ImagePlus;
import ij.measure.Calibration;
import io.fijigen.plugin.ui.GreyOptions;
import io.fijigen.plugin.ui.SourceImage;
import io.fijigen.proto.client.JobListener;
import io.fijigen.proto.v1.UpscaleRequest;
import org.junit.jupiter.api.Test;

/** Refine Upscale's action against a real engine on loopback. */
class RefineUpscaleActionTest extends LoopbackClientTestBase {
    @Test
    void refineTwiceIsANewImageWithPixelsHalfTheSizeAndItsConsistencyInTheInfo() throws Exception {
        ImagePlus imp = TestImages.square(48, 40);
        Calibration calibration = imp.getCalibration();
        calibration.pixelWidth = 0.5;
        calibration.pixelHeight = 0.5;
        calibration.setUnit("µm");
        RefineUpscaleOptions options = RefineUpscaleOptions.of("tiny-sd15", "tiny-controlnet-canny", 2, "cells")
                .withTiles(64, 16, 4, 5);

        UpscaleRequest request = RefineUpscaleAction.request(options, imp, SourceImage.of(imp, 1, GreyOptions.DEFAULT));
        assertThat(request.getFactor()).isEqualTo(2);
        assertThat(request.getRefine().getModelId()).isEqualTo("tiny-sd15");
        assertThat(request.getRefine().getControlnetId()).isEqualTo("tiny-controlnet-canny");
        assertThat(request.getRefine().getTile()).isEqualTo(64);
        assertThat(request.getRefine().getTileOverlap()).isEqualTo(16);
        assertThat(request.getRefine().hasStrength()).isFalse();

        Inserted inserted = new RefineUpscaleAction(client).run(options, imp, JobListener.NONE);

        assertThat(inserted.newImage()).isTrue();
        assertThat(inserted.image().getWidth()).isEqualTo(96);
        assertThat(inserted.image().getHeight()).isEqualTo(80);
        assertThat(inserted.image().getTitle()).isEqualTo("[fijigen] refined x2 square");
        assertThat(inserted.image().getCalibration().pixelWidth).isEqualTo(0.25);
        assertThat(inserted.image().getCalibration().pixelHeight).isEqualTo(0.25);
        assertThat(inserted.image().getCalibration().getUnit()).isEqualTo("µm");
        assertThat(inserted.result().hasConsistency()).isTrue();
        String log = RefineUpscaleAction.consistency(inserted.result());
        System.out.println(log);
        assertThat(log).matches("PSNR \\d+\\.\\d\\d dB, SSIM -?\\d\\.\\d{4} against the input .*");
        assertThat((String) inserted.image().getProperty("Info")).contains("Refine upscale: 2",
                "Tile ControlNet: tiny-controlnet-canny", "PSNR: ", " dB, SSIM: ", "Seed: 5,");
    }
}
