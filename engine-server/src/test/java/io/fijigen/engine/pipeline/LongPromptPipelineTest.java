package io.fijigen.engine.pipeline;

import static io.fijigen.engine.ParityFixtures.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.TinyModel;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.tensor.HostTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Prompts of several chunks through the pipelines. A prompt repeated after {@code BREAK} is a
 * context of the same 77 tokens twice, and attention over duplicated keys and values equals
 * attention over one copy (each softmax weight halves, each value counts twice), so these runs must
 * reproduce the single-chunk fixtures: the UNet, the ControlNet and the upscaler's UNet take
 * 154-token contexts, and the chunks are joined along the sequence.
 */
class LongPromptPipelineTest {
    private static final double TOLERANCE = 1e-3;
    private static final String CITY = "A cyberpunk city, neon lights";

    @RegisterExtension
    static final ParityFixtures.Session session = new ParityFixtures.Session();
    @RegisterExtension
    static final TinyModel sd15 = new TinyModel("tiny-sd15");

    private static String twice(String prompt) {
        return prompt + " BREAK " + prompt;
    }

    private static GenerationRequest.Builder twiceTheFixturePrompts() {
        return PipelineParityTest.fixtureRequest(twice(CITY), twice("blurry"))
                .scheduler("ddim")
                .latents(HostTensor.of(session.golden("pipe.latents")));
    }

    @Test
    void txt2imgWithEachPromptTwiceReproducesTheFixture() throws Exception {
        GenerationResult result = Pipelines.generate(sd15.get(), twiceTheFixturePrompts().build(), StepListener.NONE);
        assertClose("pipe.txt2img.ddim, prompts twice", result.images().toNDArray(session.manager),
                session.golden("pipe.txt2img.ddim"), TOLERANCE);
    }

    @Test
    void controlNetWithEachPromptTwiceReproducesTheFixture() throws Exception {
        GenerationRequest request = twiceTheFixturePrompts()
                .control(InpaintControlNetParityTest.fixtureControl(session, sd15.get()))
                .build();
        GenerationResult result = Pipelines.generate(sd15.get(), request, StepListener.NONE);
        assertClose("pipe.controlnet.ddim, prompts twice", result.images().toNDArray(session.manager),
                session.golden("pipe.controlnet.ddim"), TOLERANCE);
    }

    /** The upscaler's SD 2 tokenizer pads with "!" (0): the second chunk is padded as the first. */
    @Test
    void upscalerWithEachPromptTwiceReproducesTheFixture() throws Exception {
        try (StableDiffusion upscaler = TinyModel.load("tiny-x4-upscaler")) {
            UpscaleRequest request = UpscaleTest.fixtureRequest(twice("a sharp photo"), twice("blurry"), session,
                    HostTensor.of(session.golden("upscale.low_res")), 20);
            GenerationResult result = Upscale.generate(upscaler, request, StepListener.NONE);
            assertClose("pipe.upscale.nl20, prompts twice", result.images().toNDArray(session.manager),
                    session.golden("pipe.upscale.nl20"), TOLERANCE);
        }
    }

    /** Three chunks against one of the negative prompt (padded with two empty-prompt chunks), two images. */
    @Test
    void aLongPromptAndAShortNegativeMakeTheRequestedImages() throws Exception {
        String prompt = CITY + ", " + "rain on glass, reflections, crowded streets, ".repeat(25);
        GenerationRequest request = PipelineParityTest.fixtureRequest(prompt, "blurry")
                .scheduler("ddim")
                .steps(2)
                .numImages(2)
                .seed(7)
                .build();
        GenerationResult result = Pipelines.generate(sd15.get(), request, StepListener.NONE);
        assertThat(result.images().shape()).containsExactly(2, 128, 128, 3);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float value : result.images().data()) {
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        assertThat(min).isGreaterThanOrEqualTo(0f);
        assertThat(max).isLessThanOrEqualTo(1f).isGreaterThan(min);
        assertThat(result.request().prompt()).isEqualTo(prompt);
    }
}
