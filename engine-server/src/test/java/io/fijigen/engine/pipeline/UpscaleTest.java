package io.fijigen.engine.pipeline;

import static io.fijigen.engine.ParityFixtures.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.TinyModel;
import io.fijigen.engine.image.ImageResize;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.tensor.Layouts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The x4 upscaler: {@code pipe.upscale.nl20} and its bad inputs. */
class UpscaleTest {
    @RegisterExtension
    static final ParityFixtures.Session session = new ParityFixtures.Session();
    @RegisterExtension
    static final TinyModel upscaler = new TinyModel("tiny-x4-upscaler");

    /** "a sharp photo", negative "blurry", 5 steps, guidance 9, noise level 20, low-res noise from seed 25. */
    static UpscaleRequest fixtureRequest(HostTensor image, int noiseLevel) {
        return fixtureRequest("a sharp photo", "blurry", session, image, noiseLevel);
    }

    /** The fixture's settings with other prompts. */
    static UpscaleRequest fixtureRequest(String prompt, String negativePrompt, ParityFixtures.Session session,
            HostTensor image, int noiseLevel) {
        GenerationRequest generation = GenerationRequest.builder(prompt)
                .negativePrompt(negativePrompt)
                .steps(5)
                .guidance(9.0)
                .seed(25)
                .latents(HostTensor.of(session.golden("upscale.latents")))
                .build();
        return new UpscaleRequest(generation, image, noiseLevel, UpscaleRequest.DEFAULT_TILING);
    }

    @Test
    void noiseLevel20ReproducesTheFixture() {
        GenerationResult result = Upscale.generate(upscaler.get(),
                fixtureRequest(HostTensor.of(session.golden("upscale.low_res")), 20), StepListener.NONE);
        assertThat(result.images().shape()).containsExactly(1, 128, 128, 3);
        assertClose("pipe.upscale.nl20", result.images().toNDArray(session.manager), session.golden("pipe.upscale.nl20"),
                1e-3);
    }

    @Test
    void noiseLevelAboveTheModelsMaximumIsRefused() {
        assertThatThrownBy(() -> Upscale.generate(upscaler.get(),
                fixtureRequest(HostTensor.of(session.golden("upscale.low_res")), 351), StepListener.NONE))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("noise_level: 351 is outside 0..350");
        assertThatThrownBy(() -> Upscale.generate(upscaler.get(),
                fixtureRequest(HostTensor.of(session.golden("upscale.low_res")), -1), StepListener.NONE))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("noise_level: -1 is outside 0..350");
    }

    @Test
    void imageSmallerThan8PixelsIsRefused() {
        HostTensor tiny = new HostTensor(new float[3 * 6 * 6], new long[] {1, 3, 6, 6});
        assertThatThrownBy(() -> Upscale.generate(upscaler.get(), fixtureRequest(tiny, 20), StepListener.NONE))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("6x6, too small to upscale");
    }

    @Test
    void aGenerationModelIsNotAnUpscaler() throws Exception {
        try (StableDiffusion sd15 = TinyModel.load("tiny-sd15")) {
            assertThatThrownBy(() -> Upscale.generate(sd15,
                    fixtureRequest(HostTensor.of(session.golden("upscale.low_res")), 20), StepListener.NONE))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("tiny-sd15 is not an x4 upscaler");
        }
    }

    @Test
    void factor2IsTheX4ResultHalvedByLanczos() {
        HostTensor low = HostTensor.of(session.golden("upscale.low_res"));
        UpscaleRequest four = fixtureRequest(low, 20);
        HostTensor x4 = Upscale.generate(upscaler.get(), four, StepListener.NONE).images();
        HostTensor x2 = Upscale.generate(upscaler.get(),
                new UpscaleRequest(four.generation(), low, 20, four.tiling(), 2.0), StepListener.NONE).images();
        assertThat(x2.shape()).containsExactly(1, 64, 64, 3);
        assertThat(x2).isEqualTo(Layouts.nchwToNhwc(ImageResize.lanczos(
                Layouts.nhwcToNchw(x4), 64, 64)));
    }

    @Test
    void factorOutsideTheRangeIsRefused() {
        HostTensor low = HostTensor.of(session.golden("upscale.low_res"));
        assertThatThrownBy(() -> new UpscaleRequest(fixtureRequest(low, 20).generation(), low, 20,
                UpscaleRequest.DEFAULT_TILING, 9.0))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("factor: 9 is outside (0, 8]");
    }
}
