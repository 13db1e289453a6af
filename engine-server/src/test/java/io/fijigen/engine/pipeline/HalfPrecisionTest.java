package io.fijigen.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.TinyModel;
import io.fijigen.engine.model.ModelFolder;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.nn.ControlNetModel;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.weights.LoraWeight;
import io.fijigen.engine.weights.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fp16 path a GPU runs, checked on the CPU (libtorch computes fp16 there too, slowly): the same
 * model loaded in fp16 and in float32 gives the same images within fp16's precision, and a VAE
 * decode that overflows fp16 is redone in float32.
 */
class HalfPrecisionTest {
    @RegisterExtension
    static final TinyModel half = new TinyModel("tiny-sd15", DataType.FLOAT16);
    @RegisterExtension
    static final TinyModel full = new TinyModel("tiny-sd15");

    @Test
    void weightsLoadInHalfPrecision() {
        assertThat(half.get().dtype()).isEqualTo(DataType.FLOAT16);
        assertThat(half.get().unet().parameters().values().iterator().next().get().getDataType())
                .isEqualTo(DataType.FLOAT16);
    }

    /** txt2img end to end: text encoder, UNet (timestep embedding cast to fp16 as diffusers does), scheduler, VAE. */
    @Test
    void txt2imgMatchesFloat32WithinHalfPrecision() {
        assertMatchesFloat32("txt2img", request().build());
    }

    @Test
    void img2imgAndInpaintingMatchFloat32() {
        assertMatchesFloat32("img2img", request().initImage(gradient(), 0.7).build());
        float[] mask = new float[64 * 64];
        java.util.Arrays.fill(mask, 64 * 16, 64 * 48, 1f);
        assertMatchesFloat32("inpaint", request().initImage(gradient(), 1.0)
                .mask(new HostTensor(mask, new long[] {1, 1, 64, 64})).build());
    }

    @Test
    void controlNetMatchesFloat32() throws IOException {
        Path canny = ParityFixtures.model("tiny-controlnet-canny");
        ControlNetModel halfNet = ModelFolder.loadControlNet(canny, half.get().manager(), DataType.FLOAT16);
        ControlNetModel fullNet = ModelFolder.loadControlNet(canny, full.get().manager(), DataType.FLOAT32);
        assertMatchesFloat32("controlnet", request().control(new ControlUnit(halfNet, gradient(), 1f, false, 0, 1)).build(),
                request().control(new ControlUnit(fullNet, gradient(), 1f, false, 0, 1)).build());
    }

    /** A LoRA merged into fp16 weights, and a textual-inversion embedding read in float32, used by an fp16 model. */
    @Test
    void loraAndTextualInversionMatchFloat32(@TempDir Path dir) throws IOException {
        Path embedding = dir.resolve("thing.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(10);
            long hidden = full.get().textEncoder().config().hiddenSize();
            SafetensorsWriter.write(embedding, Map.of("<thing>", manager.randomNormal(new Shape(2, hidden)).mul(0.02f)),
                    Map.of());
        }
        assertMatchesFloat32("lora + embedding", GenerationRequest.builder("a <thing> on a table").negativePrompt("blurry")
                .size(64, 64).steps(4).scheduler("ddim").guidance(7.5).seed(42)
                .lora(LoraWeight.of("tiny", LoraParityTest.KOHYA, 0.75)).embedding(embedding).build());
    }

    @Test
    void upscalerMatchesFloat32() throws IOException {
        try (StableDiffusion halfUpscaler = TinyModel.load("tiny-x4-upscaler", DataType.FLOAT16);
                StableDiffusion fullUpscaler = TinyModel.load("tiny-x4-upscaler")) {
            GenerationRequest generation = GenerationRequest.builder("a sharp photo").negativePrompt("blurry").steps(3)
                    .guidance(9.0).seed(8).build();
            HostTensor low = new HostTensor(java.util.Arrays.copyOf(gradient().data(), 3 * 32 * 32),
                    new long[] {1, 3, 32, 32});
            UpscaleRequest request = new UpscaleRequest(generation, low, 20, UpscaleRequest.DEFAULT_TILING);
            compare("x4 upscale", Upscale.generate(halfUpscaler, request, StepListener.NONE).images().data(),
                    Upscale.generate(fullUpscaler, request, StepListener.NONE).images().data());
        }
    }

    private static GenerationRequest.Builder request() {
        return GenerationRequest.builder("a photograph of an astronaut riding a horse").negativePrompt("blurry")
                .size(64, 64).steps(4).scheduler("ddim").guidance(7.5).seed(42);
    }

    /** A smooth 64² RGB picture in [0, 1]. */
    static HostTensor gradient() {
        float[] data = new float[3 * 64 * 64];
        for (int i = 0; i < 64 * 64; i++) {
            data[i] = (i % 64) / 64f;
            data[64 * 64 + i] = (i / 64) / 64f;
            data[2 * 64 * 64 + i] = 0.5f;
        }
        return new HostTensor(data, new long[] {1, 3, 64, 64});
    }

    private static void assertMatchesFloat32(String what, GenerationRequest request) {
        assertMatchesFloat32(what, request, request);
    }

    private static void assertMatchesFloat32(String what, GenerationRequest halfRequest, GenerationRequest fullRequest) {
        compare(what, Pipelines.generate(half.get(), halfRequest, StepListener.NONE).images().data(),
                Pipelines.generate(full.get(), fullRequest, StepListener.NONE).images().data());
    }

    /** fp16 against float32 pixels in [0, 1]: all finite, a mean difference of a few 8-bit levels at most. */
    static void compare(String what, float[] halfPixels, float[] fullPixels) {
        assertThat(halfPixels).hasSameSizeAs(fullPixels);
        double max = 0;
        double sum = 0;
        for (int i = 0; i < fullPixels.length; i++) {
            assertThat(halfPixels[i]).as(what).isFinite();
            double diff = Math.abs(halfPixels[i] - fullPixels[i]);
            max = Math.max(max, diff);
            sum += diff;
        }
        System.out.printf("fp16 %s vs float32: max |diff| %.4f, mean %.5f (pixels in [0, 1])%n", what, max,
                sum / fullPixels.length);
        assertThat(sum / fullPixels.length).as(what).isLessThan(4e-3);
        assertThat(max).as(what).isLessThan(5e-2);
    }

    @Test
    void decodeStaysInHalfPrecisionWhenFinite() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            NDArray latents = manager.randomNormal(new Shape(1, 4, 8, 8));
            NDArray decoded = half.get().decoder().decode(latents.toType(DataType.FLOAT16, false));
            NDArray reference = full.get().vae().decode(latents);
            assertThat(decoded.getDataType()).isEqualTo(DataType.FLOAT16);
            assertThat(decoded.toType(DataType.FLOAT32, false).sub(reference).abs().max().getFloat()).isLessThan(0.05f);
        }
    }
}
