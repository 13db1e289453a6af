package io.fijigen.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ij.ImagePlus;
import ij.gui.ImageRoi;
import ij.process.ImageProcessor;
import io.fijigen.plugin.client.EngineException;
import io.fijigen.plugin.client.GenerationCancelledException;
import io.fijigen.plugin.layers.LayerInserter;
import io.fijigen.proto.client.JobListener;
import io.fijigen.proto.v1.Model;
import io.grpc.Status;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Generate action against a real engine server on loopback, headless. */
class GenerateActionTest extends LoopbackClientTestBase {
    @BeforeAll
    static void runsHeadless() {
        assertThat(java.awt.GraphicsEnvironment.isHeadless()).isTrue();
    }

    @Test
    void listsTheDemoModels() throws Exception {
        assertThat(client.listModels().getModelsList()).extracting(Model::getId).contains("tiny-sd15");
    }

    @Test
    void img2imgAddsAnUndoableLayerHoldingTheServersPng() throws Exception {
        ImagePlus imp = TestImages.gradient(128, 128);
        int[] before = ((int[]) imp.getProcessor().getPixels()).clone();
        List<String> events = new ArrayList<>();
        GenerateOptions options = GenerateOptions.img2img("tiny-sd15", "a cell").withSteps(2).withSeed(7);

        Inserted inserted = new GenerateAction(client).run(options, imp, new JobListener() {
            @Override
            public void queued(String jobId, int position) {
                events.add("queued " + position);
            }

            @Override
            public void step(int step, int total, byte[] previewPng) {
                events.add("step " + step + "/" + total);
            }
        });

        // Queued comes first; its position depends on what the other tests left running (a cancelled
        // job stops at its next step).
        assertThat(events).first().asString().startsWith("queued ");
        assertThat(events).last().asString().startsWith("step ");
        assertThat(inserted.seed()).isEqualTo(7);
        assertThat(inserted.newImage()).isFalse();
        assertThat(inserted.image()).isSameAs(imp);
        ImageRoi layer = inserted.layer();
        assertThat(imp.getOverlay()).isNotNull();
        assertThat(imp.getOverlay().size()).isEqualTo(1);
        assertThat(imp.getOverlay().get("[fijigen] a cell · seed 7")).isSameAs(layer);
        assertThat(layer.getName()).isEqualTo("[fijigen] a cell · seed 7");
        assertThat(layer.getBounds()).isEqualTo(new java.awt.Rectangle(0, 0, 128, 128));
        assertThat(layer.getOpacity()).isEqualTo(1.0);
        assertThat(layer.getProperty(LayerInserter.PARAMETERS_PROPERTY))
                .isEqualTo(inserted.result().getParameters())
                .contains("Seed: 7");

        // The layer's pixels are the PNG the server returned, pixel for pixel.
        byte[] png = inserted.result().getImages(0).getPng().toByteArray();
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(decoded.getWidth()).isEqualTo(128);
        assertThat(decoded.getHeight()).isEqualTo(128);
        ImageProcessor pixels = layer.getProcessor();
        assertThat(pixels.getWidth()).isEqualTo(128);
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++) {
                assertThat(pixels.get(x, y) & 0xffffff)
                        .as("pixel (%d, %d)", x, y)
                        .isEqualTo(decoded.getRGB(x, y) & 0xffffff);
            }
        }
        // The image's own pixels are untouched.
        assertThat((int[]) imp.getProcessor().getPixels()).isEqualTo(before);

        // Edit › Undo removes the layer.
        TestImages.undo(imp);
        assertThat(imp.getOverlay() == null || imp.getOverlay().size() == 0).isTrue();
    }

    @Test
    void txt2imgMakesANewImageFromTheResult() throws Exception {
        GenerateOptions options = GenerateOptions.txt2img("tiny-sd15", "nuclei").withSteps(2).withSeed(3)
                .withSize(64, 64);

        Inserted inserted = new GenerateAction(client).run(options, null, JobListener.NONE);

        assertThat(inserted.newImage()).isTrue();
        assertThat(inserted.image().getTitle()).isEqualTo("[fijigen] nuclei · seed 3");
        assertThat(inserted.image().getWidth()).isEqualTo(64);
        assertThat(inserted.image().getHeight()).isEqualTo(64);
        assertThat(inserted.image().getBitDepth()).isEqualTo(24);
        assertThat(inserted.image().getProp(LayerInserter.PARAMETERS_PROPERTY)).contains("Seed: 3");
    }

    @Test
    void cancellingFromTheListenerInsertsNothing() {
        ImagePlus imp = TestImages.gradient(128, 128);
        GenerateAction action = new GenerateAction(client);
        GenerateOptions options = GenerateOptions.img2img("tiny-sd15", "cancel me").withSteps(50).withSeed(1)
                .withStrength(1.0);
        List<Integer> steps = new ArrayList<>();
        List<Integer> totals = new ArrayList<>();

        assertThatThrownBy(() -> action.run(options, imp, new JobListener() {
            @Override
            public void step(int step, int total, byte[] previewPng) {
                steps.add(step);
                totals.add(total);
                if (step == 1) {
                    action.cancel();
                }
            }
        }))
                .isInstanceOf(GenerationCancelledException.class)
                .hasMessage("the job was cancelled")
                .satisfies(e -> assertThat(((EngineException) e).cancelled()).isTrue());

        // PNDM's first step is doubled (Runge-Kutta warm-up): a 50-step job reports 51 steps.
        assertThat(totals.get(0)).isGreaterThanOrEqualTo(50);
        assertThat(steps).startsWith(1).hasSizeLessThan(totals.get(0));
        assertThat(imp.getOverlay()).isNull();
    }

    @Test
    void anUnknownModelIsAReadableError() {
        ImagePlus imp = TestImages.gradient(64, 64);
        assertThatThrownBy(() -> new GenerateAction(client)
                .run(GenerateOptions.img2img("no-such-model", "x").withSteps(1), imp, JobListener.NONE))
                .isInstanceOf(EngineException.class)
                .hasMessageStartingWith("the engine has no model 'no-such-model' — known models: ")
                .hasMessageContaining("tiny-sd15")
                .satisfies(e -> assertThat(((EngineException) e).code()).isEqualTo(Status.Code.NOT_FOUND));
        assertThat(imp.getOverlay()).isNull();
    }

    @Test
    void anImageLargerThanTheServerAllowsIsRefusedWithItsLimit() {
        ImagePlus imp = TestImages.gradient(4104, 8);
        assertThatThrownBy(() -> new GenerateAction(client)
                .run(GenerateOptions.img2img("tiny-sd15", "x").withSteps(1), imp, JobListener.NONE))
                .isInstanceOf(EngineException.class)
                .hasMessage("init_image is 4104×8 pixels; sides from 8 to 2048 are accepted here");
        assertThat(imp.getOverlay()).isNull();
    }

    @Test
    void severalTxt2imgVariantsBecomeAStack() throws Exception {
        GenerateOptions options = GenerateOptions.txt2img("tiny-sd15", "pair")
                .with(Generation.of("tiny-sd15", "pair").withSteps(2).withSeed(6).withImages(2)).withSize(32, 32);

        Inserted inserted = new GenerateAction(client).run(options, null, JobListener.NONE);

        assertThat(inserted.image().getStackSize()).isEqualTo(2);
        for (int i = 0; i < 2; i++) {
            assertThat(TestImages.rgb(inserted.image().getStack().getProcessor(i + 1), 0, 0, 32, 32))
                    .isEqualTo(TestImages.rgb(TestImages.returned(inserted.result(), i), 0, 0, 32, 32));
        }
        assertThat(inserted.image().getStack().getSliceLabel(1)).isEqualTo("seed 6 · 1/2");
    }
}
