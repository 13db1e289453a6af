package io.fijigen.engine.pipeline;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.TinyModel;
import io.fijigen.engine.image.ImageResize;
import io.fijigen.engine.schedule.SchedulerChoice;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.tensor.Layouts;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hires fix with an x4 upscaler model: the first pass, the model's ×4 resampled by Lanczos to
 * the second pass's size, and the img2img of that, as three jobs run by hand give them. Its passes
 * report their steps as one job's: 1 to a total fixed at the first step, each with its own pass's latents.
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

    /**
     * The steps a job reports, with their totals and the latent grid (h×w) of each: a pass's steps
     * come with that pass's latents.
     */
    private static final class ReportedSteps implements StepListener {
        final List<Integer> steps = new ArrayList<>();
        final List<Integer> totals = new ArrayList<>();
        final List<String> grids = new ArrayList<>();

        @Override
        public boolean onStep(int step, int total, NDArray latents) {
            steps.add(step);
            totals.add(total);
            grids.add(latents.getShape().get(2) + "x" + latents.getShape().get(3));
            return true;
        }

        /** Steps 1 to {@code total}, each of {@code total}, the grids pass after pass. */
        void assertCountedOnto(int total, List<String> grids) {
            assertThat(steps).containsExactlyElementsOf(IntStream.rangeClosed(1, total).boxed().toList());
            assertThat(totals).containsOnly(total);
            assertThat(this.grids).containsExactlyElementsOf(grids);
        }
    }

    /** {@code count} steps on a latent grid of {@code grid}. */
    private static List<String> pass(int count, String grid) {
        return Collections.nCopies(count, grid);
    }

    @SafeVarargs
    private static List<String> passes(List<String>... passes) {
        List<String> all = new ArrayList<>();
        for (List<String> pass : passes) {
            all.addAll(pass);
        }
        return all;
    }

    /**
     * 3 DDIM steps on the 6×8 grid of 64×48, 2 x4 steps on the image's own 48×64 grid, then 4 × 0.5 = 2
     * steps on the 12×16 grid of 128×96: 7 steps.
     */
    @Test
    void x4HiresFixEqualsItsThreeJobsRunByHand() {
        HiresUpscaler.X4 upscaler = new HiresUpscaler.X4("tiny-x4-upscaler", 2, 9, SchedulerChoice.named(null), x4.get());
        GenerationRequest request = first().hires(new HiresOptions(2, 4, 0.5, upscaler)).build();

        ReportedSteps reported = new ReportedSteps();
        GenerationResult hires = Pipelines.generate(sd15.get(), request, reported);
        reported.assertCountedOnto(7, passes(pass(3, "6x8"), pass(2, "48x64"), pass(2, "12x16")));

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

    /** Two images upscaled one by one: 3 + 2 × 2 x4 steps + 2 = 9. */
    @Test
    void eachImagesX4UpscaleCountsOn() {
        HiresUpscaler.X4 upscaler = new HiresUpscaler.X4("tiny-x4-upscaler", 2, 9, SchedulerChoice.named(null), x4.get());
        ReportedSteps reported = new ReportedSteps();

        GenerationResult hires = Pipelines.generate(sd15.get(), first().numImages(2)
                .hires(new HiresOptions(2, 4, 0.5, upscaler)).build(), reported);

        assertThat(hires.images().shape()).containsExactly(2, 96, 128, 3);
        reported.assertCountedOnto(9, passes(pass(3, "6x8"), pass(2, "48x64"), pass(2, "48x64"), pass(2, "12x16")));
    }

    /** 3 DDIM steps, Lanczos, then 3 × 0.7 = 2.1, so 2 steps: 5, the result the two jobs give by hand. */
    @Test
    void lanczosHiresFixCountsOnAndEqualsItsTwoJobsRunByHand() {
        ReportedSteps reported = new ReportedSteps();

        GenerationResult hires = Pipelines.generate(sd15.get(), first()
                .hires(new HiresOptions(2, 0, 0.7, new HiresUpscaler.Lanczos())).build(), reported);

        HostTensor small = Txt2Img.generate(sd15.get(), first().build(), StepListener.NONE).images();
        GenerationResult byHand = Img2Img.generate(sd15.get(), first().size(128, 96)
                .initImage(ImageResize.lanczos(Layouts.nhwcToNchw(small), 96, 128), 0.7).build(), StepListener.NONE);
        assertThat(hires.images().data()).containsExactly(byHand.images().data());
        reported.assertCountedOnto(5, passes(pass(3, "6x8"), pass(2, "12x16")));
    }

    /**
     * tiny-sd15's own PNDM repeats a timestep: 3 steps run 4, and the second pass's 4 steps (5
     * timesteps) from where 0.5 enters, 4 − int(4 × 0.5) = 2, run 3: 7.
     */
    @Test
    void latentHiresFixCountsTheSchedulersOwnSteps() {
        ReportedSteps reported = new ReportedSteps();

        Pipelines.generate(sd15.get(), first().scheduler(null).hires(new HiresOptions(2, 4, 0.5,
                new HiresUpscaler.Latent(false))).build(), reported);

        reported.assertCountedOnto(7, passes(pass(4, "6x8"), pass(3, "12x16")));
    }
}
