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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code xlpipe.*} cases through {@link Pipelines#generate}: tiny-sdxl, "A cyberpunk city, neon
 * lights", negative "blurry", 5 steps, guidance 5, 128×128, images within 1e-3 of the reference.
 */
class SdxlPipelineParityTest {
    private static final double TOLERANCE = 1e-3;

    @RegisterExtension
    static final ParityFixtures.Session session = new ParityFixtures.Session();
    @RegisterExtension
    static final TinyModel sdxl = new TinyModel("tiny-sdxl");

    static GenerationRequest.Builder fixtureRequest() {
        return GenerationRequest.builder("A cyberpunk city, neon lights")
                .negativePrompt("blurry")
                .steps(5)
                .guidance(5.0)
                .size(128, 128)
                .seed(0);
    }

    private static HostTensor golden(String name) {
        return HostTensor.of(session.golden(name));
    }

    private static void check(String fixture, StableDiffusion model, GenerationRequest request) {
        GenerationResult result = Pipelines.generate(model, request, StepListener.NONE);
        assertClose(fixture, result.images().toNDArray(session.manager), session.golden(fixture), TOLERANCE);
    }

    /** The model's own Euler ("leading"), and DDIM and DPM++ 2M Karras built from it by the SD convention. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"euler,", "ddim,ddim", "dpmpp2m_karras,dpmpp_2m_karras"})
    void txt2imgWithGivenLatents(String fixtureScheduler, String scheduler) {
        check("xlpipe.txt2img." + fixtureScheduler, sdxl.get(), fixtureRequest()
                .scheduler(scheduler)
                .latents(golden("xl.latents"))
                .build());
    }

    /** No negative prompt: force_zeros_for_empty_prompt makes its embeddings and pooled embedding zeros. */
    @Test
    void negativePromptNotGivenIsZeros() {
        check("xlpipe.txt2img.euler.neg_none", sdxl.get(), fixtureRequest()
                .negativePrompt(null)
                .latents(golden("xl.latents"))
                .build());
    }

    /** An empty negative prompt is encoded like any prompt. */
    @Test
    void emptyNegativePromptIsEncoded() {
        check("xlpipe.txt2img.euler.neg_empty", sdxl.get(), fixtureRequest()
                .negativePrompt("")
                .latents(golden("xl.latents"))
                .build());
    }

    /** Strength 0.6 of 5 steps runs [401, 201, 1]; the seed-3 generator draws the init ε, then the noise. */
    @Test
    void img2imgStrength06Seed3() {
        check("xlpipe.img2img.euler.s06.seed3", sdxl.get(), fixtureRequest()
                .seed(3)
                .initImage(golden("xl.init_image"), 0.6)
                .build());
    }

    /** The 9-channel UNet: scale_model_input before the mask and masked-image latents are appended. */
    @Test
    void inpaint9Seed4() throws Exception {
        try (StableDiffusion inpaint = TinyModel.load("tiny-sdxl-inpaint")) {
            check("xlpipe.inpaint9.euler.seed4", inpaint, fixtureRequest()
                    .seed(4)
                    .initImage(golden("xl.init_image"), 1.0)
                    .mask(golden("xl.mask"))
                    .inpaintOptions(InpaintOptions.REFERENCE)
                    .latents(golden("xl.latents"))
                    .build());
        }
    }

    /** tiny-controlnet-sdxl on canny(100, 200) of the fixture image, scale 0.8, with the UNet's added conditions. */
    @Test
    void controlNetScale08() throws IOException {
        check("xlpipe.controlnet.euler.s08", sdxl.get(), fixtureRequest()
                .latents(golden("xl.latents"))
                .control(fixtureControl(sdxl.get(), 0.8f))
                .build());
    }

    static ControlUnit fixtureControl(StableDiffusion model, float scale) throws IOException {
        byte[] rgb = session.golden("canny.input_rgb_u8").toByteArray();
        byte[] edges = CannyEdges.edges(rgb, 128, 128, 3, 100, 200);
        HostTensor control = new HostTensor(CannyEdges.controlImage(edges), new long[] {1, 3, 128, 128});
        ControlNetModel controlNet = ModelFolder.loadControlNet(ParityFixtures.model("tiny-controlnet-sdxl"),
                model.manager(), DataType.FLOAT32);
        return new ControlUnit(controlNet, control, scale, false, 0.0, 1.0);
    }
}
