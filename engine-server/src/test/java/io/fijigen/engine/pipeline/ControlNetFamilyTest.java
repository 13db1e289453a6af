package io.fijigen.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.TinyModel;
import io.fijigen.engine.model.ModelFolder;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.nn.ControlNetModel;
import io.fijigen.engine.tensor.HostTensor;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A ControlNet of the other family is refused before the job starts, naming both, and the model
 * is left as it was: the next job still gives the reference image.
 */
class ControlNetFamilyTest {
    @RegisterExtension
    static final ParityFixtures.Session session = new ParityFixtures.Session();
    @RegisterExtension
    static final TinyModel sdxl = new TinyModel("tiny-sdxl");
    @RegisterExtension
    static final TinyModel sd15 = new TinyModel("tiny-sd15");

    private static ControlUnit unit(String controlNet, StableDiffusion model) throws IOException {
        ControlNetModel net = ModelFolder.loadControlNet(ParityFixtures.model(controlNet), model.manager(),
                DataType.FLOAT32);
        return new ControlUnit(net, HalfPrecisionTest.gradient(), 1f, false, 0, 1);
    }

    @Test
    void anSdControlNetOnSdxlIsRefusedAndTheModelStillGivesTheReference() throws IOException {
        GenerationRequest request = SdxlPipelineParityTest.fixtureRequest().size(64, 64)
                .control(unit("tiny-controlnet-canny", sdxl.get())).build();
        assertThatThrownBy(() -> Pipelines.generate(sdxl.get(), request, StepListener.NONE))
                .isInstanceOf(InvalidRequestException.class)
                .hasFieldOrPropertyWithValue("field", "controlnet")
                .hasMessageContaining("a ControlNet for SD 1.x/2.x cannot guide")
                .hasMessageContaining("an SDXL model");
        GenerationResult result = Pipelines.generate(sdxl.get(), SdxlPipelineParityTest.fixtureRequest()
                .latents(HostTensor.of(session.golden("xl.latents"))).build(), StepListener.NONE);
        ParityFixtures.assertClose("xlpipe.txt2img.euler after the refusal", result.images().toNDArray(session.manager),
                session.golden("xlpipe.txt2img.euler"), 1e-3);
    }

    @Test
    void anSdxlControlNetOnSd15IsRefused() throws IOException {
        GenerationRequest request = PipelineParityTest.fixtureRequest().size(64, 64)
                .control(unit("tiny-controlnet-sdxl", sd15.get())).build();
        assertThatThrownBy(() -> Pipelines.generate(sd15.get(), request, StepListener.NONE))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("a ControlNet for SDXL cannot guide tiny-sd15, an SD 1.x/2.x model");
    }
}
