package io.fijigen.engine.model;

import static io.fijigen.engine.ParityFixtures.assertModuleClose;
import static io.fijigen.engine.ParityFixtures.maxAbs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.TinyModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A StableDiffusionXLPipeline folder loads with its second tokenizer and text encoder, a folder
 * lacking them is refused by name before any weights load, and the VAE's force_upcast decides the
 * decode's and the encode's type in fp16.
 */
class SdxlModelLoadingTest {
    @RegisterExtension
    static final ParityFixtures.Session session = new ParityFixtures.Session();

    @TempDir
    Path dir;

    @Test
    void familiesAreToldByModelIndex() {
        assertThat(ParityFixtures.folder("tiny-sdxl").family()).isEqualTo(ModelFamily.SDXL);
        assertThat(ParityFixtures.folder("tiny-sdxl-inpaint").family()).isEqualTo(ModelFamily.SDXL);
        assertThat(ParityFixtures.folder("tiny-sd15").family()).isEqualTo(ModelFamily.SD);
        assertThat(ParityFixtures.folder("tiny-sd2").family()).isEqualTo(ModelFamily.SD);
        assertThat(ParityFixtures.folder("tiny-x4-upscaler").family()).isEqualTo(ModelFamily.SD);
        assertThat(ParityFixtures.folder("tiny-sdxl").index().forceZerosForEmptyPrompt()).isTrue();
    }

    /** Both encoders and tokenizers, usable as loaded: te2 gives {@code teg.text_embeds} for the fixture ids. */
    @Test
    void anSdxlFolderLoadsBothTextEncoders() throws IOException {
        try (StableDiffusion model = TinyModel.load("tiny-sdxl")) {
            assertThat(model.family()).isEqualTo(ModelFamily.SDXL);
            assertThat(model.tokenizer().padId()).isEqualTo(49407);
            assertThat(model.tokenizer2().padId()).isZero();
            assertThat(model.textEncoder2().config().projectionDim()).isEqualTo(32);
            assertThat(model.unet().config().textTime().inputDim()).isEqualTo(80);
            assertModuleClose("teg.text_embeds (loaded model)",
                    model.textEncoder2().forward(session.golden("teg.input_ids")).textEmbeds(),
                    session.golden("teg.text_embeds"));
        }
        try (StableDiffusion sd15 = TinyModel.load("tiny-sd15")) {
            assertThat(sd15.family()).isEqualTo(ModelFamily.SD);
            assertThat(sd15.tokenizer2()).isNull();
            assertThat(sd15.textEncoder2()).isNull();
        }
    }

    /** Only configs and tokenizers are copied: the refusal must come before any weights are read. */
    @Test
    void aMissingTokenizer2IsNamedBeforeAnyWeightsLoad() throws IOException {
        Path copy = copy("tiny-sdxl", file -> !file.toString().contains("tokenizer_2")
                && !file.toString().endsWith(".safetensors"));
        assertThatThrownBy(() -> StableDiffusion.load(copy, Device.cpu(), DataType.FLOAT32))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("StableDiffusionXLPipeline")
                .hasMessageContaining("no tokenizer_2 folder");
    }

    @Test
    void missingSecondEncoderAndTokenizerAreBothNamed() throws IOException {
        Path copy = copy("tiny-sdxl", file -> !file.toString().contains("_2")
                && !file.toString().endsWith(".safetensors"));
        assertThatThrownBy(() -> StableDiffusion.load(copy, Device.cpu(), DataType.FLOAT32))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("no tokenizer_2, text_encoder_2 folders");
    }

    /**
     * {@code vaexl.z} (float32, as pipelines keep latents) decoded by tiny-sdxl loaded in fp16: with
     * force_upcast in float32, as the float32 model decodes it (the weights are fp16 values either
     * way); without, in fp16, close to it but rounded on the way.
     */
    @Test
    void forceUpcastDecodesInFloat32() throws IOException {
        NDArray z = session.golden("vaexl.z");
        NDArray full;
        try (StableDiffusion model = TinyModel.load("tiny-sdxl")) {
            full = model.decoder().decode(z);
            full.attach(session.manager);
        }
        try (StableDiffusion upcast = StableDiffusion.load(withForceUpcast(true), Device.cpu(), DataType.FLOAT16)) {
            NDArray decoded = upcast.decoder().decode(z);
            assertThat(decoded.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(decoded.toFloatArray()).containsExactly(full.toFloatArray());
            assertModuleClose("vaexl.dec (fp16 model, force_upcast)", decoded, session.golden("vaexl.dec"));
        }
        try (StableDiffusion half = StableDiffusion.load(withForceUpcast(false), Device.cpu(), DataType.FLOAT16)) {
            NDArray decoded = half.decoder().decode(z);
            assertThat(decoded.getDataType()).isEqualTo(DataType.FLOAT16);
            double diff = maxAbs(decoded.toType(DataType.FLOAT32, false).sub(full));
            System.out.printf("vaexl.dec in fp16 (no force_upcast): max|fp16 - float32| = %.3e%n", diff);
            // fp16 keeps about three decimal digits of values up to ~5 here.
            assertThat(diff).isGreaterThan(0).isLessThan(1e-2 * maxAbs(full));
        }
    }

    /**
     * {@code vaexl.image} (float32, as pipelines make images) encoded by tiny-sdxl loaded in fp16:
     * with force_upcast in float32, as the float32 model encodes it, so {@code vaexl.enc_mean} and
     * {@code enc_logvar} hold at the float32 tolerance; without, in fp16, close but rounded.
     */
    @Test
    void forceUpcastEncodesInFloat32() throws IOException {
        NDArray image = session.golden("vaexl.image");
        NDArray full;
        try (StableDiffusion model = TinyModel.load("tiny-sdxl")) {
            full = model.encoder().moments(image);
            full.attach(session.manager);
        }
        try (StableDiffusion upcast = TinyModel.load("tiny-sdxl", DataType.FLOAT16)) {
            assertThat(upcast.vae().config().forceUpcast()).isTrue();
            NDArray moments = upcast.encoder().moments(image);
            assertThat(moments.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(moments.toFloatArray()).containsExactly(full.toFloatArray());
            assertModuleClose("vaexl.enc_mean (fp16 model, force_upcast)", moments.get(":, 0:4"),
                    session.golden("vaexl.enc_mean"));
            assertModuleClose("vaexl.enc_logvar (fp16 model, force_upcast)", moments.get(":, 4:8"),
                    session.golden("vaexl.enc_logvar"));
            assertThat(image.isReleased()).isFalse();
        }
        try (StableDiffusion half = StableDiffusion.load(withForceUpcast(false), Device.cpu(), DataType.FLOAT16)) {
            NDArray moments = half.encoder().moments(image);
            assertThat(moments.getDataType()).isEqualTo(DataType.FLOAT16);
            double diff = maxAbs(moments.toType(DataType.FLOAT32, false).sub(full));
            System.out.printf("vaexl.enc in fp16 (no force_upcast): max|fp16 - float32| = %.3e%n", diff);
            assertThat(diff).isGreaterThan(0).isLessThan(1e-2 * maxAbs(full));
        }
    }

    /**
     * SD 1.x/2.x pipelines ignore force_upcast (tiny-sd15's VAE says true): their fp16 decode and
     * encode stay fp16, the encode the VAE's own.
     */
    @Test
    void sdModelsDecodeAndEncodeInTheirOwnType() throws IOException {
        try (StableDiffusion sd15 = TinyModel.load("tiny-sd15", DataType.FLOAT16)) {
            assertThat(sd15.vae().config().forceUpcast()).isTrue();
            NDArray decoded = sd15.decoder().decode(session.golden("vae15.z").toType(DataType.FLOAT16, false));
            assertThat(decoded.getDataType()).isEqualTo(DataType.FLOAT16);
            NDArray image = session.golden("vae15.image");
            NDArray moments = sd15.encoder().moments(image);
            assertThat(moments.getDataType()).isEqualTo(DataType.FLOAT16);
            assertThat(moments.toFloatArray()).containsExactly(sd15.vae().moments(image).toFloatArray());
        }
    }

    private Path withForceUpcast(boolean forceUpcast) throws IOException {
        Path copy = copy("tiny-sdxl", file -> true);
        Path config = copy.resolve("vae/config.json");
        String text = Files.readString(config);
        assertThat(text).contains("\"force_upcast\": true");
        Files.writeString(config, text.replace("\"force_upcast\": true", "\"force_upcast\": " + forceUpcast));
        return copy;
    }

    /** The files of the fixture {@code model} that {@code keep} accepts, copied to a new folder under the temp dir. */
    private Path copy(String model, Predicate<Path> keep) throws IOException {
        Path from = ParityFixtures.model(model);
        Path to = Files.createTempDirectory(dir, model);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path relative = from.relativize(file);
                if (Files.isRegularFile(file) && keep.test(relative)) {
                    Path target = to.resolve(relative.toString());
                    Files.createDirectories(target.getParent());
                    Files.copy(file, target);
                }
            }
        }
        return to;
    }
}
