package io.fijigen.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import io.fijigen.engine.TinyModel;
import io.fijigen.engine.pipeline.GenerationRequest;
import io.fijigen.engine.pipeline.ImagePreprocessor;
import io.fijigen.engine.pipeline.Pipelines;
import io.fijigen.engine.pipeline.UpscaleRequest;
import io.fijigen.engine.tensor.HostTensor;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Large images run the VAE in tiles: which sizes do, and that a txt2img job decodes the way it says. */
class VaeTilingTest {

    @Test
    void imagesUpTo768SquaredRunWholeLargerOnesInTiles() {
        assertThat(VaeTiling.forDecode(new Shape(1, 4, 96, 96), 8)).isNull();
        assertThat(VaeTiling.forDecode(new Shape(1, 4, 64, 128), 8)).isNull();
        assertThat(VaeTiling.forDecode(new Shape(1, 4, 96, 128), 8)).isEqualTo(new Tiling(64, 16));
        assertThat(VaeTiling.forDecode(new Shape(2, 4, 128, 128), 8)).isEqualTo(new Tiling(64, 16));
        // The x4 upscaler's VAE: latents a quarter of the image, tiles the upscaler's default.
        assertThat(VaeTiling.forDecode(new Shape(1, 4, 256, 256), 4)).isEqualTo(UpscaleRequest.DEFAULT_TILING);
        assertThat(VaeTiling.forEncode(new Shape(1, 3, 768, 768))).isNull();
        assertThat(VaeTiling.forEncode(new Shape(1, 3, 1024, 768))).isEqualTo(new Tiling(512, 128));
    }

    /**
     * A network that shrinks by 8 and looks at nothing beyond its 8×8 cell (average pooling): tiled,
     * with tiles starting on multiples of 8, it gives what it gives whole, so the tile positions,
     * ramps and normalisation of a down-scaling run are right.
     */
    @Test
    void downscalingTilesBlendToTheWholeResult() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(9);
            NDArray image = manager.randomUniform(-1f, 1f, new Shape(2, 3, 200, 136));
            java.util.function.UnaryOperator<NDArray> pool = x -> Pool.avgPool2d(x, new Shape(8, 8), new Shape(8, 8),
                    new Shape(0, 0), false, true);
            float[] whole = pool.apply(image).toFloatArray();
            HostTensor tiled = new Tiling(64, 16).applyToHost(image, 1, 8, pool);
            assertThat(tiled.shape()).containsExactly(2, 3, 25, 17);
            float[] values = tiled.data();
            for (int i = 0; i < whole.length; i++) {
                assertThat(values[i]).isCloseTo(whole[i], org.assertj.core.data.Offset.offset(1e-6f));
            }
            assertThatThrownBy(() -> new Tiling(60, 16).applyToHost(image, 1, 8, pool))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiples of 8");
        }
    }

    /**
     * 832×768 with the tiny SD 1.5: the job decodes its final latents in 512² tiles — the image is
     * bit for bit the tiled decode of the latents the last step reported — and the tiles' seams blend:
     * the image stays close to a whole decode of the same latents.
     */
    @Test
    void aLargeTxt2imgIsDecodedInTiles() throws Exception {
        try (StableDiffusion model = TinyModel.load("tiny-sd15"); NDManager manager = NDManager.newBaseManager()) {
            AtomicReference<HostTensor> last = new AtomicReference<>();
            GenerationRequest request = GenerationRequest.builder("a lighthouse at dusk").size(832, 768).steps(1)
                    .guidance(1.0).seed(3).build();
            HostTensor image = Pipelines.generate(model, request, (step, total, latents) -> {
                last.set(HostTensor.of(latents));
                return true;
            }).images();

            NDArray unscaled = last.get().toNDArray(manager).div((float) model.vae().config().scalingFactor());
            Tiling tiles = VaeTiling.forDecode(unscaled.getShape(), 8);
            HostTensor tiled = ImagePreprocessor.toImages(tiles.applyToHost(unscaled, 8, model.decoder()::decode));
            assertThat(maxDifference(image.data(), tiled.data())).isZero();

            float[] whole = ImagePreprocessor.toImages(HostTensor.of(model.decoder().decode(unscaled))).data();
            double sum = 0;
            for (int i = 0; i < whole.length; i++) {
                sum += Math.abs(whole[i] - image.data()[i]);
            }
            System.out.printf("832×768 tiled decode vs whole: mean |diff| %.4f, max %.4f%n", sum / whole.length,
                    maxDifference(whole, image.data()));
            assertThat(sum / whole.length).isLessThan(0.02);
        }
    }

    /** Largest absolute difference (assertj's element-wise diff of millions of floats takes minutes). */
    private static double maxDifference(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
