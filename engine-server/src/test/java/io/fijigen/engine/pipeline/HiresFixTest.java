package io.fijigen.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.TinyModel;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.tensor.Layouts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hires fix with an x4 upscaler model: the first pass, the model's ×4 resampled by Lanczos to
 * the second pass's size, and the img2img of that, as three jobs run by hand give them.
 */
class HiresFixTest {
    @RegisterExtension
    static final TinyModel sd15 = new TinyModel("tiny-sd15");
    @RegisterExtension
    static final TinyModel x4 = new TinyModel("tiny-x4-upscaler");

    private static GenerationRequest.Builder first() {
        return GenerationRequest.builder("a lighthouse at dusk").negativePrompt("blurry").steps(3).scheduler("ddim")
                .size(64, 48).seed(11);
    }

    @Test
    void x4HiresFixEqualsItsThreeJobsRunByHand() {
        HiresUpscaler.X4 upscaler = new HiresUpscaler.X4("tiny-x4-upscaler", 2, 9, null, x4.get());
        GenerationRequest request = first().hires(new HiresOptions(2, 4, 0.5, upscaler)).build();

        GenerationResult hires = Pipelines.generate(sd15.get(), request, StepListener.NONE);

        HostTensor small = Txt2Img.generate(sd15.get(), first().build(), StepListener.NONE).images();
        GenerationRequest upscaling = GenerationRequest.builder("a lighthouse at dusk").negativePrompt("blurry")
                .steps(2).guidance(9).seed(11).build();
        HostTensor enlarged = Upscale.generate(x4.get(), new UpscaleRequest(upscaling, Layouts.nhwcToNchw(small),
                20, UpscaleRequest.DEFAULT_TILING, 2), StepListener.NONE).images();
        GenerationResult byHand = Img2Img.generate(sd15.get(), first().steps(4).size(128, 96)
                .initImage(Layouts.nhwcToNchw(enlarged), 0.5).build(), StepListener.NONE);

        assertThat(hires.images().shape()).containsExactly(1, 96, 128, 3);
        assertThat(hires.images().data()).containsExactly(byHand.images().data());
        assertThat(hires.parameters(java.util.Optional.empty())).endsWith("Size: 64x48, Model: tiny-sd15,"
                + " Denoising strength: 0.5, Hires upscale: 2, Hires steps: 4, Hires upscaler: tiny-x4-upscaler");
    }

    @Test
    void aRandomSeedIsDrawnOnceForBothPassesAndReported() {
        GenerationRequest request = first().seed(GenerationRequest.RANDOM_SEED).numImages(2)
                .hires(new HiresOptions(1.5, 0, 0.7, new HiresUpscaler.Lanczos())).build();

        GenerationResult hires = Pipelines.generate(sd15.get(), request, StepListener.NONE);
        GenerationResult again = Pipelines.generate(sd15.get(), request.toBuilder().seed(hires.seed()).build(),
                StepListener.NONE);

        assertThat(hires.images().shape()).containsExactly(2, 72, 96, 3);
        assertThat(hires.request().seed()).isEqualTo(hires.seed());
        assertThat(again.images().data()).containsExactly(hires.images().data());
    }
}
