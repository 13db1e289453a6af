package io.fijigen.engine.pipeline;

import static io.fijigen.engine.ParityFixtures.assertClose;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.TinyModel;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.tensor.HostTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code pipe.*} cases, through {@link Pipelines#generate} as the CLI calls it: tiny-sd15,
 * "A cyberpunk city, neon lights", negative "blurry", 5 steps, guidance 7.5, 128×128, images
 * within 1e-3 of the reference.
 */
class PipelineParityTest {
    private static final double TOLERANCE = 1e-3;

    @RegisterExtension
    static final ParityFixtures.Session session = new ParityFixtures.Session();
    @RegisterExtension
    static final TinyModel sd15 = new TinyModel("tiny-sd15");

    static GenerationRequest.Builder fixtureRequest() {
        return fixtureRequest("A cyberpunk city, neon lights", "blurry");
    }

    /** The fixtures' settings with other prompts. */
    static GenerationRequest.Builder fixtureRequest(String prompt, String negativePrompt) {
        return GenerationRequest.builder(prompt)
                .negativePrompt(negativePrompt)
                .steps(5)
                .guidance(7.5)
                .size(128, 128)
                .seed(0);
    }

    private static void check(String fixture, StableDiffusion model, GenerationRequest request) {
        GenerationResult result = Pipelines.generate(model, request, StepListener.NONE);
        assertClose(fixture, result.images().toNDArray(session.manager), session.golden(fixture), TOLERANCE);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pndm", "ddim", "euler", "dpmpp2m_karras"})
    void txt2imgWithGivenLatents(String fixtureScheduler) {
        String scheduler = fixtureScheduler.equals("dpmpp2m_karras") ? "dpmpp_2m_karras" : fixtureScheduler;
        check("pipe.txt2img." + fixtureScheduler, sd15.get(), fixtureRequest()
                .scheduler(scheduler)
                .latents(HostTensor.of(session.golden("pipe.latents")))
                .build());
    }

    @Test
    void ddimCfg1SkipsTheUnconditionalPass() {
        check("pipe.txt2img.ddim.cfg1", sd15.get(), fixtureRequest()
                .scheduler("ddim")
                .guidance(1.0)
                .latents(HostTensor.of(session.golden("pipe.latents")))
                .build());
    }

    @Test
    void ddimSeed42DrawsTheLatents() {
        check("pipe.txt2img.ddim.seed42", sd15.get(), fixtureRequest().scheduler("ddim").seed(42).build());
    }

    @Test
    void eulerAncestralSeed42DrawsLatentsAndStepNoise() {
        check("pipe.txt2img.euler_a.seed42", sd15.get(), fixtureRequest().scheduler("euler_a").seed(42).build());
    }

    @Test
    void sd2VPredictionWithItsOwnDdim() throws Exception {
        try (StableDiffusion sd2 = TinyModel.load("tiny-sd2")) {
            check("pipe.sd2_vpred.ddim", sd2, fixtureRequest()
                    .latents(HostTensor.of(session.golden("pipe.latents")))
                    .build());
        }
    }

    @Test
    void img2imgStrength06Seed3() {
        check("pipe.img2img.ddim.s06.seed3", sd15.get(), fixtureRequest()
                .scheduler("ddim")
                .seed(3)
                .initImage(HostTensor.of(session.golden("pipe.init_image")), 0.6)
                .build());
    }
}
