package io.fijigen.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.TinyModel;
import io.fijigen.engine.model.ModelFolder;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.nn.ControlNetModel;
import io.fijigen.engine.tensor.HostTensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every SDXL pipeline in fp16 against float32 on the CPU, as {@link HalfPrecisionTest} does for SD
 * 1.x: both text encoders, the text_time embedding, the VAE (force_upcast) and the ControlNet.
 */
class SdxlHalfPrecisionTest {
    @RegisterExtension
    static final TinyModel half = new TinyModel("tiny-sdxl", DataType.FLOAT16);
    @RegisterExtension
    static final TinyModel full = new TinyModel("tiny-sdxl");

    private static GenerationRequest.Builder request() {
        return GenerationRequest.builder("a photograph of an astronaut riding a horse").negativePrompt("blurry")
                .size(64, 64).steps(4).guidance(5.0).seed(42);
    }

    private static void assertMatchesFloat32(String what, StableDiffusion halfModel, GenerationRequest halfRequest,
            StableDiffusion fullModel, GenerationRequest fullRequest) {
        HalfPrecisionTest.compare(what, Pipelines.generate(halfModel, halfRequest, StepListener.NONE).images().data(),
                Pipelines.generate(fullModel, fullRequest, StepListener.NONE).images().data());
    }

    private static void assertMatchesFloat32(String what, GenerationRequest request) {
        assertMatchesFloat32(what, half.get(), request, full.get(), request);
    }

    @Test
    void weightsLoadInHalfPrecision() {
        assertThat(half.get().textEncoder2().parameters().values().iterator().next().get().getDataType())
                .isEqualTo(DataType.FLOAT16);
        assertThat(half.get().unet().parameters().values().iterator().next().get().getDataType())
                .isEqualTo(DataType.FLOAT16);
    }

    @Test
    void txt2imgWithAndWithoutANegativePrompt() {
        assertMatchesFloat32("sdxl txt2img", request().build());
        assertMatchesFloat32("sdxl txt2img, no negative", request().negativePrompt(null).build());
    }

    @Test
    void img2imgAndLatentBlendingInpaint() {
        HostTensor image = HalfPrecisionTest.gradient();
        assertMatchesFloat32("sdxl img2img", request().initImage(image, 0.7).build());
        float[] mask = new float[64 * 64];
        Arrays.fill(mask, 64 * 16, 64 * 48, 1f);
        assertMatchesFloat32("sdxl inpaint (4 channels)", request().initImage(image, 1.0)
                .mask(new HostTensor(mask, new long[] {1, 1, 64, 64})).build());
    }

    @Test
    void nineChannelInpaint() throws IOException {
        float[] mask = new float[64 * 64];
        Arrays.fill(mask, 64 * 16, 64 * 48, 1f);
        GenerationRequest request = request().initImage(HalfPrecisionTest.gradient(), 1.0)
                .mask(new HostTensor(mask, new long[] {1, 1, 64, 64})).build();
        try (StableDiffusion halfInpaint = TinyModel.load("tiny-sdxl-inpaint", DataType.FLOAT16);
                StableDiffusion fullInpaint = TinyModel.load("tiny-sdxl-inpaint")) {
            assertMatchesFloat32("sdxl inpaint (9 channels)", halfInpaint, request, fullInpaint, request);
        }
    }

    @Test
    void controlNet() throws IOException {
        Path folder = ParityFixtures.model("tiny-controlnet-sdxl");
        ControlNetModel halfNet = ModelFolder.loadControlNet(folder, half.get().manager(), DataType.FLOAT16);
        ControlNetModel fullNet = ModelFolder.loadControlNet(folder, full.get().manager(), DataType.FLOAT32);
        HostTensor image = HalfPrecisionTest.gradient();
        assertMatchesFloat32("sdxl controlnet", half.get(),
                request().control(new ControlUnit(halfNet, image, 0.8f, false, 0, 1)).build(), full.get(),
                request().control(new ControlUnit(fullNet, image, 0.8f, false, 0, 1)).build());
    }
}
