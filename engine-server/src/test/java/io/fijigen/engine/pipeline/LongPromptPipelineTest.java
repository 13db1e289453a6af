package io.fijigen.engine.pipeline;

import static io.fijigen.engine.ParityFixtures.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.tensor.HostTensor;
import java.io.IOException;
import org.junit.jupiter.api.Test;

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

    private static String twice(String prompt) {
        return prompt + " BREAK " + prompt;
    }

    private static GenerationRequest.Builder twiceTheFixturePrompts(ParityFixtures.Session session) {
        return PipelineParityTest.fixtureRequest(twice(CITY), twice("blurry"))
                .scheduler("ddim")
                .latents(HostTensor.of(session.golden("pipe.latents")));
    }

    @Test
    void txt2imgWithEachPromptTwiceReproducesTheFixture() throws Exception {
        try (ParityFixtures.Session session = new ParityFixtures.Session(); StableDiffusion sd15 = sd15()) {
            GenerationResult result = Pipelines.generate(sd15, twiceTheFixturePrompts(session).build(),
                    StepListener.NONE);
            assertClose("pipe.txt2img.ddim, prompts twice", result.images().toNDArray(session.manager),
                    session.golden("pipe.txt2img.ddim"), TOLERANCE);
        }
    }

    @Test
    void controlNetWithEachPromptTwiceReproducesTheFixture() throws Exception {
        try (ParityFixtures.Session session = new ParityFixtures.Session(); StableDiffusion sd15 = sd15()) {
            GenerationRequest request = twiceTheFixturePrompts(session)
                    .control(InpaintControlNetParityTest.fixtureControl(session, sd15))
                    .build();
            GenerationResult result = Pipelines.generate(sd15, request, StepListener.NONE);
            assertClose("pipe.controlnet.ddim, prompts twice", result.images().toNDArray(session.manager),
                    session.golden("pipe.controlnet.ddim"), TOLERANCE);
        }
    }

    /** The upscaler's SD 2 tokenizer pads with "!" (0): the second chunk is padded as the first. */
    @Test
    void upscalerWithEachPromptTwiceReproducesTheFixture() throws Exception {
        try (ParityFixtures.Session session = new ParityFixtures.Session();
                StableDiffusion upscaler = StableDiffusion.load(ParityFixtures.model("tiny-x4-upscaler"), Device.cpu(),
                        DataType.FLOAT32)) {
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
        GenerationResult result;
        try (StableDiffusion sd15 = sd15()) {
            result = Pipelines.generate(sd15, request, StepListener.NONE);
        }
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

    private static StableDiffusion sd15() throws IOException {
        return StableDiffusion.load(ParityFixtures.model("tiny-sd15"), Device.cpu(), DataType.FLOAT32);
    }
}
