package io.fijigen.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.config.AutoencoderKLConfig;
import io.fijigen.engine.nn.AutoencoderKL;
import io.fijigen.engine.weights.SafetensorsWriter;
import io.fijigen.engine.weights.StateDict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fp16 path a GPU runs, checked on the CPU (libtorch computes fp16 there too, slowly): the same
 * model loaded in fp16 and in float32 gives the same images within fp16's precision, and a VAE
 * decode that overflows fp16 is redone in float32.
 */
class HalfPrecisionTest {
    private static StableDiffusion half;
    private static StableDiffusion full;

    @BeforeAll
    static void load() throws Exception {
        half = StableDiffusion.load(ParityFixtures.model("tiny-sd15"), Device.cpu(), DataType.FLOAT16);
        full = StableDiffusion.load(ParityFixtures.model("tiny-sd15"), Device.cpu(), DataType.FLOAT32);
    }

    @AfterAll
    static void close() {
        half.close();
        full.close();
    }

    @Test
    void weightsLoadInHalfPrecision() {
        assertThat(half.dtype()).isEqualTo(DataType.FLOAT16);
        assertThat(half.unet().parameters().values().iterator().next().get().getDataType())
                .isEqualTo(DataType.FLOAT16);
    }

    /** txt2img end to end: text encoder, UNet (timestep embedding cast to fp16 as diffusers does), scheduler, VAE. */
    @Test
    void txt2imgMatchesFloat32WithinHalfPrecision() {
        GenerationRequest request = GenerationRequest.builder("a photograph of an astronaut riding a horse")
                .negativePrompt("blurry").size(64, 64).steps(4).scheduler("ddim").guidance(7.5).seed(42).build();
        float[] halfPixels = Pipelines.generate(half, request, StepListener.NONE).images().data();
        float[] fullPixels = Pipelines.generate(full, request, StepListener.NONE).images().data();

        double max = 0;
        double sum = 0;
        for (int i = 0; i < fullPixels.length; i++) {
            assertThat(halfPixels[i]).isFinite();
            double diff = Math.abs(halfPixels[i] - fullPixels[i]);
            max = Math.max(max, diff);
            sum += diff;
        }
        System.out.printf("fp16 txt2img vs float32: max |diff| %.4f, mean %.5f (pixels in [0, 1])%n", max,
                sum / fullPixels.length);
        assertThat(sum / fullPixels.length).isLessThan(2e-3);
        assertThat(max).isLessThan(2e-2);
    }

    @Test
    void decodeStaysInHalfPrecisionWhenFinite() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            NDArray latents = manager.randomNormal(new Shape(1, 4, 8, 8));
            NDArray decoded = half.decoder().decode(latents.toType(DataType.FLOAT16, false));
            NDArray reference = full.vae().decode(latents);
            assertThat(decoded.getDataType()).isEqualTo(DataType.FLOAT16);
            assertThat(decoded.toType(DataType.FLOAT32, false).sub(reference).abs().max().getFloat()).isLessThan(0.05f);
        }
    }

    /**
     * A VAE whose decoder input layer is 1000× the tiny one's, on latents 1000× the usual: its
     * activations leave fp16's range (65504), as SD's VAE's do at some latents, while every weight
     * and latent is still representable: the fp16 VAE alone gives NaN; the decoder redoes the
     * decode in float32, with the weights loaded again in float32, and gives what a float32 VAE gives.
     */
    @Test
    void overflowingDecodeIsRedoneInFloat32(@TempDir Path dir) throws IOException {
        Path vaeDir = ParityFixtures.model("tiny-sd15").resolve("vae");
        AutoencoderKLConfig config = AutoencoderKLConfig.read(vaeDir.resolve("config.json"));
        Path weights = dir.resolve("vae.safetensors");
        try (NDManager manager = NDManager.newBaseManager();
                StateDict original = StateDict.openComponent(vaeDir, manager, DataType.FLOAT32)) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (String key : original.keys()) {
                tensors.put(key, key.startsWith("decoder.conv_in.") ? original.get(key).mul(1000f) : original.get(key));
            }
            SafetensorsWriter.write(weights, tensors, Map.of());
        }
        VaeDecoder.Source source = (manager, type) -> {
            try (StateDict state = StateDict.open(List.of(weights), manager, type)) {
                return new AutoencoderKL(config, state);
            }
        };
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(8);
            NDArray latents = manager.randomNormal(new Shape(1, 4, 8, 8)).mul(1000f);
            AutoencoderKL halfVae = source.load(manager, DataType.FLOAT16);
            NDArray overflowed = halfVae.decode(latents.toType(DataType.FLOAT16, false));
            assertThat(overflowed.isNaN().logicalOr(overflowed.isInfinite()).any().getBoolean()).isTrue();

            NDArray redone = new VaeDecoder(halfVae, DataType.FLOAT16, manager, source)
                    .decode(latents.toType(DataType.FLOAT16, false));
            NDArray reference = source.load(manager, DataType.FLOAT32).decode(latents.toType(DataType.FLOAT16, false)
                    .toType(DataType.FLOAT32, false));
            assertThat(redone.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(redone.isNaN().any().getBoolean()).isFalse();
            assertThat(redone.toFloatArray()).containsExactly(reference.toFloatArray());
        }
    }
}
