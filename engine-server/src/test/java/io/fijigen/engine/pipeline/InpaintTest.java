package io.fijigen.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.TinyModel;
import io.fijigen.engine.nn.DiagonalGaussianDistribution;
import io.fijigen.engine.random.JobNoise;
import io.fijigen.engine.tensor.HostTensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Inpainting beyond the fixture: 4-channel latent blending, strength below 1, bad masks. */
class InpaintTest {
    @RegisterExtension
    static final ParityFixtures.Session session = new ParityFixtures.Session();
    @RegisterExtension
    static final TinyModel sd15 = new TinyModel("tiny-sd15");
    private static final HostTensor image = HostTensor.of(session.golden("pipe.init_image"));

    private static HostTensor mask(int width, int height, float value) {
        float[] data = new float[width * height];
        Arrays.fill(data, value);
        return new HostTensor(data, new long[] {1, 1, height, width});
    }

    private static GenerationRequest.Builder img2img() {
        return PipelineParityTest.fixtureRequest().scheduler("ddim").seed(3).initImage(image, 0.6);
    }

    @Test
    void fullMaskOnAFourChannelModelIsPlainImg2Img() {
        // Blending with a mask of ones keeps every latent; the reference's extra draw comes last.
        HostTensor img2img = Pipelines.generate(sd15.get(), img2img().build(), StepListener.NONE).images();
        HostTensor inpaint = Pipelines.generate(sd15.get(), img2img().mask(mask(128, 128, 1f)).build(),
                StepListener.NONE).images();
        assertThat(inpaint).isEqualTo(img2img);
    }

    /**
     * After the last step the known region's latents are the init image's latents themselves (the
     * reference blends in the un-noised latents at the end): the left half of the 16×16 grid is
     * repainted, the right half must equal the VAE sample of the image, drawn first from seed 3.
     */
    @Test
    void knownRegionEndsAsTheImageLatents() {
        float[] left = new float[128 * 128];
        for (int y = 0; y < 128; y++) {
            Arrays.fill(left, y * 128, y * 128 + 64, 1f);
        }
        HostTensor[] last = new HostTensor[1];
        Pipelines.generate(sd15.get(), img2img().mask(new HostTensor(left, new long[] {1, 1, 128, 128})).build(),
                (step, total, latents) -> {
                    last[0] = step == total ? HostTensor.of(latents) : null;
                    return true;
                });
        NDArray pixels = image.toNDArray(session.manager).mul(2).sub(1);
        NDArray expected;
        try (DiagonalGaussianDistribution posterior = sd15.get().vae().encode(pixels)) {
            NDArray epsilon = new JobNoise(3).randn(posterior.mean().getShape(), session.manager);
            expected = posterior.sample(epsilon).mul(0.18215f);
        }
        NDArray known = new NDIndexed(last[0].toNDArray(session.manager)).rightHalf();
        ParityFixtures.assertClose("4-channel known latents", known, new NDIndexed(expected).rightHalf(), 1e-6);
        double repainted = ParityFixtures.maxAbs(new NDIndexed(last[0].toNDArray(session.manager)).leftHalf()
                .sub(new NDIndexed(expected).leftHalf()));
        assertThat(repainted).isGreaterThan(0.1);
    }

    /** Halves of a latent grid along its width. */
    private record NDIndexed(NDArray latents) {
        NDArray leftHalf() {
            return latents.get(new NDIndex(":, :, :, :8"));
        }

        NDArray rightHalf() {
            return latents.get(new NDIndex(":, :, :, 8:"));
        }
    }

    @Test
    void maskOfAnotherSizeIsRefused() {
        assertThatThrownBy(() -> Pipelines.generate(sd15.get(), img2img().mask(mask(64, 128, 1f)).build(),
                StepListener.NONE))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("mask is 64x128 but the image is 128x128");
    }

    @Test
    void emptyMaskIsRefused() {
        assertThatThrownBy(() -> Pipelines.generate(sd15.get(), img2img().mask(mask(128, 128, 0.2f)).build(),
                StepListener.NONE))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("mask is empty");
    }

    @Test
    void maskWithoutAnImageIsRefused() {
        assertThatThrownBy(() -> Pipelines.generate(sd15.get(),
                PipelineParityTest.fixtureRequest().mask(mask(128, 128, 1f)).build(), StepListener.NONE))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("a mask needs an init image");
    }
}
