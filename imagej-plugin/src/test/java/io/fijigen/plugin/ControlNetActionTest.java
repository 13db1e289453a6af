package io.fijigen.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import ij.ImagePlus;
import ij.gui.ImageRoi;
import ij.process.ColorProcessor;
import io.fijigen.plugin.layers.Layers;
import io.fijigen.plugin.ui.GreyOptions;
import io.fijigen.plugin.ui.ImageConversion;
import io.fijigen.proto.client.JobListener;
import io.fijigen.proto.v1.CannyRequest;
import org.junit.jupiter.api.Test;

/** ControlNet from Image's action against a real engine on loopback. */
class ControlNetActionTest extends LoopbackClientTestBase {
    @Test
    void previewEdgesAddsTheEnginesEdgeMapAsALayer() throws Exception {
        ImagePlus imp = TestImages.square(70, 60);

        ControlNetAction action = new ControlNetAction(client);
        ImageRoi first = action.previewEdges(imp, GreyOptions.DEFAULT, 20, 40);
        ImageRoi layer = action.previewEdges(imp, GreyOptions.DEFAULT, 100, 200);

        // A second press replaces the first preview: one edge layer, of the thresholds last asked for.
        assertThat(first.getName()).isEqualTo("[fijigen] edges 20–40");
        assertThat(layer.getName()).isEqualTo("[fijigen] edges 100–200");
        assertThat(Layers.of(imp)).containsExactly(layer);
        ColorProcessor edges = ImageConversion.fromPng(client.canny(CannyRequest.newBuilder()
                .setImage(com.google.protobuf.ByteString.copyFrom(ImageConversion.toPng(ImageConversion.toRgb(imp))))
                .setLow(100).setHigh(200).build()).getPng().toByteArray());
        // Edges opaque in the edge colour, everything else transparent: the image shows through.
        int edgePixels = 0;
        for (int y = 0; y < 60; y++) {
            for (int x = 0; x < 70; x++) {
                boolean edge = (edges.get(x, y) & 0xff) == 255;
                int argb = layer.getProcessor().get(x, y);
                assertThat(argb).as("(%d, %d)", x, y).isEqualTo(edge ? 0xff000000 | ControlNetAction.EDGE_COLOUR : 0);
                edgePixels += edge ? 1 : 0;
            }
        }
        // On the square's outline (its left side, x 19 or 20), nowhere far from it.
        assertThat(edgePixels).isPositive();
        assertThat((edges.get(19, 25) | edges.get(20, 25)) & 0xffffff).isEqualTo(0xffffff);
        assertThat(edges.get(35, 28) & 0xffffff).isZero();
        assertThat(layer.getProcessor().getColorModel().hasAlpha()).isTrue();
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
