package io.fijigen.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import ij.ImagePlus;
import ij.gui.ImageRoi;
import ij.process.ColorProcessor;
import io.fijigen.plugin.layers.Layers;
import io.fijigen.plugin.ui.ImageConversion;
import io.fijigen.proto.client.JobListener;
import io.fijigen.proto.v1.CannyRequest;
import org.junit.jupiter.api.Test;

/** ControlNet from Image's action against a real engine on loopback. */
class ControlNetActionTest extends LoopbackClientTestBase {
    @Test
    void previewEdgesAddsTheEnginesEdgeMapAsALayer() throws Exception {
        ImagePlus imp = TestImages.square(70, 60);

        ImageRoi layer = new ControlNetAction(client).previewEdges(imp, 100, 200);

        assertThat(layer.getName()).isEqualTo("[fijigen] edges 100–200");
        assertThat(Layers.of(imp)).containsExactly(layer);
        ColorProcessor edges = ImageConversion.fromPng(client.canny(CannyRequest.newBuilder()
                .setImage(com.google.protobuf.ByteString.copyFrom(ImageConversion.toPng(imp)))
                .setLow(100).setHigh(200).build()).getPng().toByteArray());
        assertThat(TestImages.rgb(layer.getProcessor(), 0, 0, 70, 60)).isEqualTo(TestImages.rgb(edges, 0, 0, 70, 60));
        // On the square's outline (its left side, x 19 or 20), nowhere far from it.
        assertThat((layer.getProcessor().get(19, 25) | layer.getProcessor().get(20, 25)) & 0xffffff)
                .isEqualTo(0xffffff);
        assertThat(layer.getProcessor().get(35, 28) & 0xffffff).isZero();
        assertThat(layer.getProcessor().get(5, 5) & 0xffffff).isZero();
    }

    @Test
    void controlNetMakesANewImageOfTheImagesSizeRoundedTo8() throws Exception {
        ImagePlus imp = TestImages.square(70, 60);
        ControlNetOptions options = ControlNetOptions.of(
                Generation.of("tiny-sd15", "a square cell").withSteps(2).withSeed(21), "tiny-controlnet-canny");

        Inserted inserted = new ControlNetAction(client).run(options, imp, JobListener.NONE);

        assertThat(inserted.newImage()).isTrue();
        assertThat(inserted.image().getWidth()).isEqualTo(64);
        assertThat(inserted.image().getHeight()).isEqualTo(56);
        assertThat(inserted.image().getTitle()).isEqualTo("[fijigen] a square cell · seed 21");
        assertThat(TestImages.rgb(inserted.image().getProcessor(), 0, 0, 64, 56))
                .isEqualTo(TestImages.rgb(TestImages.returned(inserted.result(), 0), 0, 0, 64, 56));
        assertThat(inserted.image().getInfoProperty()).contains("Seed: 21");
        assertThat(imp.getOverlay()).isNull();
    }
}
