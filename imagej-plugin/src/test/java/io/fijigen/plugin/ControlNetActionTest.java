package io.fijigen.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import ij.ImagePlus;
import ij.gui.ImageRoi;
import ij.gui.PolygonRoi;
import ij.gui.Roi;
import ij.process.ColorProcessor;
import ij.process.ShortProcessor;
import io.fijigen.plugin.layers.Layers;
import io.fijigen.plugin.ui.GreyOptions;
import io.fijigen.plugin.ui.ImageConversion;
import io.fijigen.proto.client.JobListener;
import io.fijigen.proto.client.LabelPalette;
import io.fijigen.proto.client.LineScribble;
import io.fijigen.proto.v1.CannyRequest;
import io.fijigen.proto.v1.GenerateRequest;
import java.util.List;
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
                .setImage(ByteString.copyFrom(ImageConversion.toPng(ImageConversion.toRgb(imp))))
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

    /**
     * Two units: the image's polyline at width 5 (scribble) and another image's labels in the
     * distinct palette, each the shared renderer's pixels cut to the 64×56 generated; the run makes
     * the new image.
     */
    @Test
    void twoUnitsFromLinesAndAnotherImagesLabels() throws Exception {
        ImagePlus imp = TestImages.square(70, 60);
        PolygonRoi polyline = new PolygonRoi(new float[] {5, 40, 40}, new float[] {8, 8, 58}, Roi.POLYLINE);
        imp.setRoi(polyline);
        ShortProcessor labelValues = new ShortProcessor(72, 64);
        labelValues.setValue(2);
        labelValues.fillRect(10, 10, 30, 30);
        labelValues.set(60, 50, 3);
        ImagePlus labels = new ImagePlus("labels", labelValues);
        ControlNetOptions options = ControlNetOptions.of(
                        Generation.of("tiny-sd15", "a square cell").withSteps(2).withSeed(21), "tiny-controlnet-canny")
                .withSources(ControlSource.of(ControlSource.Kind.LINES), new SecondControlUnit("tiny-controlnet-canny",
                        new ControlSource(ControlSource.Kind.LABELS, labels), 0.5), 5, LabelPalette.DISTINCT);
        ControlNetAction action = new ControlNetAction(client);

        GenerateRequest request = action.job(options, imp).request().getGenerate();

        assertThat(request.getControlsCount()).isEqualTo(2);
        assertThat(request.getControls(1).getScale()).isEqualTo(0.5f);
        int[] lines = pixels(request.getControls(0).getImage());
        assertThat(lines).containsExactly(
                TestImages.rgb(LineScribble.render(List.of(polyline), 64, 56, 5), 0, 0, 64, 56));
        assertThat(lines[8 * 64 + 20]).isEqualTo(0xffffff);
        assertThat(lines[30 * 64 + 20]).isZero();
        labelValues.setRoi(0, 0, 64, 56);
        int[] seg = pixels(request.getControls(1).getImage());
        assertThat(seg).containsExactly(
                TestImages.rgb(LabelPalette.DISTINCT.render(labelValues.crop()), 0, 0, 64, 56));
        assertThat(seg[20 * 64 + 20]).isEqualTo(LabelPalette.DISTINCT.rgb(2));
        assertThat(seg[50 * 64 + 60]).isEqualTo(LabelPalette.DISTINCT.rgb(3));
        assertThat(seg[0]).isZero();

        Inserted inserted = action.run(options, imp, JobListener.NONE);

        assertThat(inserted.image().getWidth()).isEqualTo(64);
        assertThat(inserted.image().getHeight()).isEqualTo(56);
    }

    /** The image itself: its own pixels, cut to the size generated. */
    @Test
    void theImageItselfIsItsPixels() throws Exception {
        ImagePlus imp = TestImages.gradient(70, 60);
        ControlNetOptions options = ControlNetOptions.of(Generation.of("tiny-sd15", "tiles"), "tiny-controlnet-canny")
                .withSources(ControlSource.of(ControlSource.Kind.IMAGE), null, 3, null);

        GenerateRequest request = new ControlNetAction(client).job(options, imp).request().getGenerate();

        assertThat(pixels(request.getControls(0).getImage()))
                .containsExactly(TestImages.rgb(imp.getProcessor(), 0, 0, 64, 56));
    }

    @Test
    void linesWithoutALineAreRefused() {
        ImagePlus imp = TestImages.square(70, 60);
        imp.setRoi(new Roi(2, 2, 10, 10));
        ControlNetOptions options = ControlNetOptions.of(Generation.of("tiny-sd15", "x"), "tiny-controlnet-canny")
                .withSources(ControlSource.of(ControlSource.Kind.LINES), null, 3, null);

        assertThatThrownBy(() -> new ControlNetAction(client).job(options, imp))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'square' has no line selection");
    }

    private static int[] pixels(ByteString png) {
        return TestImages.rgb(ImageConversion.fromPng(png.toByteArray()), 0, 0, 64, 56);
    }
}
