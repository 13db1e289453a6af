package io.fijigen.engine.pipeline;

import static io.fijigen.engine.ParityFixtures.assertClose;

import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.TinyModel;
import io.fijigen.engine.image.CannyEdges;
import io.fijigen.engine.model.ModelFolder;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.nn.ControlNetModel;
import io.fijigen.engine.tensor.HostTensor;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code pipe.inpaint9.ddim.seed4} and {@code pipe.controlnet.ddim} through {@link Pipelines#generate}. */
class InpaintControlNetParityTest {
    private static final double TOLERANCE = 1e-3;

    @RegisterExtension
    static final ParityFixtures.Session session = new ParityFixtures.Session();

    @Test
    void inpaint9Seed4() throws Exception {
        try (StableDiffusion inpaint = TinyModel.load("tiny-sd15-inpaint")) {
            GenerationRequest request = PipelineParityTest.fixtureRequest()
                    .seed(4)
                    .initImage(HostTensor.of(session.golden("pipe.init_image")), 1.0)
                    .mask(HostTensor.of(session.golden("pipe.mask")))
                    .inpaintOptions(InpaintOptions.REFERENCE)
                    .latents(HostTensor.of(session.golden("pipe.latents")))
                    .build();
            GenerationResult result = Pipelines.generate(inpaint, request, StepListener.NONE);
            assertClose("pipe.inpaint9.ddim.seed4", result.images().toNDArray(session.manager),
                    session.golden("pipe.inpaint9.ddim.seed4"), TOLERANCE);
        }
    }

    /**
     * A mask off the 8-pixel grid (rows 27..92, cols 45..100): the latent mask takes pixel (8i, 8j)
     * by nearest, the masked image the full-resolution mask binarised at 0.5.
     */
    @Test
    void inpaint9UnalignedMaskSeed4() throws Exception {
        try (StableDiffusion inpaint = TinyModel.load("tiny-sd15-inpaint")) {
            GenerationRequest request = PipelineParityTest.fixtureRequest()
                    .seed(4)
                    .initImage(HostTensor.of(session.golden("pipe.init_image")), 1.0)
                    .mask(HostTensor.of(session.golden("pipe.mask_unaligned")))
                    .inpaintOptions(InpaintOptions.REFERENCE)
                    .latents(HostTensor.of(session.golden("pipe.latents")))
                    .build();
            GenerationResult result = Pipelines.generate(inpaint, request, StepListener.NONE);
            assertClose("pipe.inpaint9.ddim.unaligned.seed4", result.images().toNDArray(session.manager),
                    session.golden("pipe.inpaint9.ddim.unaligned.seed4"), TOLERANCE);
        }
    }

    /** Control image: canny(100, 200) of {@code canny.input_rgb_u8}, stacked to 3 channels as 0/1. */
    static ControlUnit fixtureControl(ParityFixtures.Session session, StableDiffusion sd15) throws IOException {
        byte[] rgb = session.golden("canny.input_rgb_u8").toByteArray();
        byte[] edges = CannyEdges.edges(rgb, 128, 128, 3, 100, 200);
        HostTensor control = new HostTensor(CannyEdges.controlImage(edges), new long[] {1, 3, 128, 128});
        ControlNetModel controlNet = ModelFolder.loadControlNet(ParityFixtures.model("tiny-controlnet-canny"),
                sd15.manager(), DataType.FLOAT32);
        return new ControlUnit(controlNet, control, 1.0f, false, 0.0, 1.0);
    }

    @Test
    void controlNetCannyDdim() throws Exception {
        try (StableDiffusion sd15 = TinyModel.load("tiny-sd15")) {
            GenerationRequest request = PipelineParityTest.fixtureRequest()
                    .scheduler("ddim")
                    .latents(HostTensor.of(session.golden("pipe.latents")))
                    .control(fixtureControl(session, sd15))
                    .build();
            GenerationResult result = Pipelines.generate(sd15, request, StepListener.NONE);
            assertClose("pipe.controlnet.ddim", result.images().toNDArray(session.manager),
                    session.golden("pipe.controlnet.ddim"), TOLERANCE);
        }
    }
}
