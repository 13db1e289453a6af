package io.fijigen.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.TinyModel;
import io.fijigen.engine.tensor.HostTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared loop's contract: progress and cancellation, batches, sizes that are not multiples of 64. */
class DenoisingLoopTest {
    @RegisterExtension
    static final ParityFixtures.Session session = new ParityFixtures.Session();
    @RegisterExtension
    static final TinyModel sd15 = new TinyModel("tiny-sd15");

    @Test
    void listenerSeesEveryStepAndCanCancel() {
        List<String> seen = new ArrayList<>();
        GenerationRequest request = PipelineParityTest.fixtureRequest().scheduler("ddim").build();
        assertThatThrownBy(() -> Pipelines.generate(sd15.get(), request, (step, total, latents) -> {
            seen.add(step + "/" + total + " " + latents.getShape());
            return step < 2;
        })).isInstanceOf(CancellationException.class).hasMessageContaining("after step 2 of 5");
        assertThat(seen).containsExactly("1/5 (1, 4, 16, 16)", "2/5 (1, 4, 16, 16)");
    }

    @Test
    void img2imgReportsOnlyTheStepsItRuns() {
        List<Integer> totals = new ArrayList<>();
        GenerationRequest request = PipelineParityTest.fixtureRequest().scheduler("ddim").steps(10)
                .initImage(HostTensor.of(session.golden("pipe.init_image")), 0.6).build();
        Pipelines.generate(sd15.get(), request, (step, total, latents) -> totals.add(total) && true);
        // int(10 · 0.6) = 6 of the 10 steps run.
        assertThat(totals).hasSize(6).containsOnly(6);
    }

    /**
     * {@code pipe.latents_b2_128x192}: a 2-image 192×128 batch. Images of a batch are independent
     * in the reference, so each must equal the image generated alone from its own latents.
     */
    @Test
    void eachImageOfABatchEqualsItsSingleRun() {
        NDArray latents = session.golden("pipe.latents_b2_128x192");
        GenerationRequest.Builder request = PipelineParityTest.fixtureRequest().scheduler("dpmpp_2m_karras").size(192, 128);
        GenerationResult batch = Pipelines.generate(sd15.get(),
                request.numImages(2).latents(HostTensor.of(latents)).build(), StepListener.NONE);
        assertThat(batch.images().shape()).containsExactly(2, 128, 192, 3);
        NDArray images = batch.images().toNDArray(session.manager);
        for (int i = 0; i < 2; i++) {
            NDArray alone = latents.get(new NDIndex("{}:{}", i, i + 1));
            GenerationResult single = Pipelines.generate(sd15.get(),
                    request.numImages(1).latents(HostTensor.of(alone)).build(), StepListener.NONE);
            ParityFixtures.assertClose("batch image " + i + " vs alone", images.get(new NDIndex("{}:{}", i, i + 1)),
                    single.images().toNDArray(session.manager), 1e-4);
        }
    }

    @Test
    void sizesThatAreNotMultiplesOf64Run() {
        // 72×56 pixels are 9×7 latents: the UNet's upsamplers must meet the odd skip sizes.
        GenerationResult result = Pipelines.generate(sd15.get(),
                PipelineParityTest.fixtureRequest().scheduler("euler").size(72, 56).seed(5).build(), StepListener.NONE);
        assertThat(result.images().shape()).containsExactly(1, 56, 72, 3);
        NDArray image = result.images().toNDArray(session.manager);
        assertThat(image.min().getFloat()).isGreaterThanOrEqualTo(0f);
        assertThat(image.max().getFloat()).isLessThanOrEqualTo(1f);
        // Not a constant image: the tiny model paints coloured noise with a spread of values.
        assertThat(image.sub(image.mean()).square().mean().sqrt().getFloat()).isGreaterThan(0.05f);
    }

    @Test
    void aSeedReproducesItsImage() {
        GenerationRequest request = PipelineParityTest.fixtureRequest().scheduler("euler_a").seed(77).build();
        HostTensor first = Pipelines.generate(sd15.get(), request, StepListener.NONE).images();
        HostTensor second = Pipelines.generate(sd15.get(), request, StepListener.NONE).images();
        assertThat(second).isEqualTo(first);
    }

    @Test
    void randomSeedIsDrawnAndReported() {
        GenerationResult result = Pipelines.generate(sd15.get(),
                PipelineParityTest.fixtureRequest().scheduler("ddim").steps(1).seed(GenerationRequest.RANDOM_SEED).build(),
                StepListener.NONE);
        assertThat(result.seed()).isBetween(0L, (1L << 32) - 1);
        assertThat(result.request().seed()).isEqualTo(result.seed());
        GenerationResult again = Pipelines.generate(sd15.get(), result.request(), StepListener.NONE);
        assertThat(again.images()).isEqualTo(result.images());
    }
}
