package io.fijigen.engine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.config.AutoencoderKLConfig;
import io.fijigen.engine.config.ClipTextConfig;
import io.fijigen.engine.config.ControlNetConfig;
import io.fijigen.engine.config.UNet2DConditionConfig;
import io.fijigen.engine.weights.ComponentFiles;
import io.fijigen.engine.weights.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shapes derived from a config are exactly what the reference saved: every tiny fixture
 * component (same block structure as the full-size models, smaller widths; tiny-sdxl's UNet has
 * SDXL's per-level transformer depths and text_time embedding) is enumerated from its config.json
 * and compared, name by name and shape by shape, with its safetensors header.
 */
class ArchitectureShapesTest {

    @ParameterizedTest
    @ValueSource(strings = {"tiny-sd15", "tiny-sd2", "tiny-sd15-inpaint", "tiny-x4-upscaler", "tiny-sdxl",
        "tiny-sdxl-inpaint"})
    void unet(String model) throws IOException {
        Path dir = ParityFixtures.model(model).resolve("unet");
        assertSame(ArchitectureShapes.unet(UNet2DConditionConfig.read(dir.resolve("config.json"))), saved(dir, ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-sd15", "tiny-sd2", "tiny-x4-upscaler", "tiny-sdxl"})
    void vae(String model) throws IOException {
        Path dir = ParityFixtures.model(model).resolve("vae");
        assertSame(ArchitectureShapes.vae(AutoencoderKLConfig.read(dir.resolve("config.json"))), saved(dir, ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-sd15", "tiny-sd2", "tiny-x4-upscaler", "tiny-sdxl"})
    void textEncoder(String model) throws IOException {
        Path dir = ParityFixtures.model(model).resolve("text_encoder");
        // Some savers drop the text_model. prefix; the loader accepts both, the enumeration writes it.
        assertSame(ArchitectureShapes.clipText(ClipTextConfig.read(dir.resolve("config.json"))),
                saved(dir, "text_model."));
    }

    /** SDXL's text_encoder_2: its projection is saved beside {@code text_model.}, not under it. */
    @Test
    void textEncoderWithProjection() throws IOException {
        Path dir = ParityFixtures.model("tiny-sdxl").resolve("text_encoder_2");
        assertSame(ArchitectureShapes.clipTextWithProjection(ClipTextConfig.read(dir.resolve("config.json"))),
                saved(dir, ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-controlnet-canny", "tiny-controlnet-sdxl"})
    void controlNet(String model) throws IOException {
        Path dir = ParityFixtures.model(model);
        assertSame(ArchitectureShapes.controlNet(ControlNetConfig.read(dir.resolve("config.json"))), saved(dir, ""));
    }

    private static Map<String, String> saved(Path dir, String prefix) throws IOException {
        Map<String, String> shapes = new TreeMap<>();
        for (Path file : ComponentFiles.find(dir)) {
            try (SafetensorsFile weights = SafetensorsFile.open(file)) {
                for (String name : weights.names()) {
                    String full = name.startsWith(prefix) ? name : prefix + name;
                    shapes.put(full, Arrays.toString(weights.info(name).shape()));
                }
            }
        }
        return shapes;
    }

    private static void assertSame(Map<String, long[]> enumerated, Map<String, String> saved) {
        Map<String, String> ours = new TreeMap<>();
        enumerated.forEach((name, shape) -> ours.put(name, Arrays.toString(shape)));
        assertThat(ours).hasSize(saved.size()).containsExactlyEntriesOf(saved);
    }
}
