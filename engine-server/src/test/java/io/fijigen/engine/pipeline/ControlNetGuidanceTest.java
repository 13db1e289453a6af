package io.fijigen.engine.pipeline;

import static io.fijigen.engine.ParityFixtures.maxDifference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.TinyModel;
import io.fijigen.engine.image.CannyEdges;
import io.fijigen.engine.image.ImageResize;
import io.fijigen.engine.model.ModelFolder;
import io.fijigen.engine.nn.ControlNetModel;
import io.fijigen.engine.tensor.HostTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** ControlNet units beyond the fixture: summing, guidance windows, guess mode, mismatched models. */
class ControlNetGuidanceTest {
    @RegisterExtension
    static final ParityFixtures.Session session = new ParityFixtures.Session();
    @RegisterExtension
    static final TinyModel sd15 = new TinyModel("tiny-sd15");
    private static ControlNetModel canny;
    private static HostTensor edges;

    @BeforeAll
    static void load() throws Exception {
        canny = ModelFolder.loadControlNet(ParityFixtures.model("tiny-controlnet-canny"), sd15.get().manager(),
                DataType.FLOAT32);
        byte[] rgb = session.golden("canny.input_rgb_u8").toByteArray();
        edges = new HostTensor(CannyEdges.controlImage(CannyEdges.edges(rgb, 128, 128, 3, 100, 200)),
                new long[] {1, 3, 128, 128});
    }

    private static GenerationRequest.Builder request() {
        return PipelineParityTest.fixtureRequest().scheduler("ddim").latents(HostTensor.of(session.golden("pipe.latents")));
    }

    private static HostTensor generate(GenerationRequest.Builder request) {
        return Pipelines.generate(sd15.get(), request.build(), StepListener.NONE).images();
    }

    @Test
    void twoUnitsAtHalfScaleEqualOneAtFullScale() {
        // Residuals are the zero convs' outputs times the scale: x·0.5 + x·0.5 is x·1 exactly in floats.
        HostTensor one = generate(request().control(new ControlUnit(canny, edges, 1.0f, false, 0, 1)));
        HostTensor two = generate(request()
                .control(new ControlUnit(canny, edges, 0.5f, false, 0, 1))
                .control(new ControlUnit(canny, edges, 0.5f, false, 0, 1)));
        assertThat(two).isEqualTo(one);
    }

    @Test
    void aUnitOutsideItsGuidanceWindowChangesNothing() {
        HostTensor plain = generate(request());
        // 5 steps, end 0.1: step i is on only while (i + 1) / 5 ≤ 0.1, never.
        HostTensor windowed = generate(request().control(new ControlUnit(canny, edges, 1.0f, false, 0.0, 0.1)));
        assertThat(windowed).isEqualTo(plain);
        HostTensor controlled = generate(request().control(new ControlUnit(canny, edges, 1.0f, false, 0, 1)));
        assertThat(maxDifference(controlled, plain)).isGreaterThan(1e-3);
    }

    @Test
    void guidanceWindowFollowsTheReferenceKeepRule() {
        ControlUnit unit = new ControlUnit(canny, edges, 1.0f, false, 0.2, 0.8);
        // i / 5 < 0.2 or (i + 1) / 5 > 0.8 switches the unit off: on for i = 1, 2, 3.
        assertThat(new boolean[] {unit.activeAt(0, 5), unit.activeAt(1, 5), unit.activeAt(2, 5), unit.activeAt(3, 5),
                unit.activeAt(4, 5)}).containsExactly(false, true, true, true, false);
    }

    @Test
    void guessModeControlsOnlyTheConditionalHalf() {
        HostTensor plain = generate(request());
        HostTensor normal = generate(request().control(new ControlUnit(canny, edges, 1.0f, false, 0, 1)));
        HostTensor guess = generate(request().control(new ControlUnit(canny, edges, 1.0f, true, 0, 1)));
        assertThat(maxDifference(guess, plain)).isGreaterThan(1e-3);
        assertThat(maxDifference(guess, normal)).isGreaterThan(1e-3);
    }

    @Test
    void aControlImageOfAnotherSizeIsResampledToTheGenerationSize() {
        // Given at twice the size, the control image is Lanczos-resampled to 128²: the same as giving it so.
        HostTensor doubled = ImageResize.lanczos(edges, 256, 256);
        HostTensor fromDoubled = generate(request().control(new ControlUnit(canny, doubled, 1.0f, false, 0, 1)));
        HostTensor fromHalved = generate(request().control(new ControlUnit(canny,
                ImageResize.lanczos(doubled, 128, 128), 1.0f, false, 0, 1)));
        assertThat(fromDoubled).isEqualTo(fromHalved);
    }

    @Test
    void controlNetForAnotherTextWidthIsRefused(@TempDir Path dir) throws Exception {
        Path source = ParityFixtures.model("tiny-controlnet-canny");
        Files.copy(source.resolve("diffusion_pytorch_model.safetensors"), dir.resolve("diffusion_pytorch_model.safetensors"));
        Files.writeString(dir.resolve("config.json"), Files.readString(source.resolve("config.json"))
                .replace("\"cross_attention_dim\": 32", "\"cross_attention_dim\": 768"));
        ControlNetModel other = ModelFolder.loadControlNet(dir, sd15.get().manager(), DataType.FLOAT32);
        assertThatThrownBy(() -> generate(request().control(new ControlUnit(other, edges, 1.0f, false, 0, 1))))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("ControlNet cross-attention size 768 does not match the model's 32");
    }

    @Test
    void guidanceWindowMustBeOrdered() {
        assertThatThrownBy(() -> new ControlUnit(canny, edges, 1.0f, false, 0.7, 0.3))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("0.3 is outside (start, 1] with start 0.7 (0 ≤ start < end ≤ 1)")
                .extracting(e -> ((InvalidRequestException) e).field()).isEqualTo("end");
    }
}
