package io.fijigen.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fijigen.engine.ParityFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The safety checker's two configs: the fixture's, the older file layout, and what cannot be used. */
class SafetyCheckerConfigsTest {
    private static final Path CHECKER = ParityFixtures.model("tiny-safety-checker");

    @TempDir
    Path dir;

    private Path preprocessorWith(String original, String replacement) throws Exception {
        return fileWith("feature_extractor/preprocessor_config.json", original, replacement);
    }

    private Path fileWith(String name, String original, String replacement) throws Exception {
        String text = Files.readString(CHECKER.resolve(name));
        assertThat(text).contains(original);
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text.replace(original, replacement));
        return file;
    }

    @Test
    void theFixtureConfigs() throws Exception {
        ClipImageProcessorConfig processor = ClipImageProcessorConfig.read(
                CHECKER.resolve("feature_extractor/preprocessor_config.json"));
        assertThat(processor.shortestEdge()).isEqualTo(224);
        assertThat(processor.cropHeight()).isEqualTo(224);
        assertThat(processor.cropWidth()).isEqualTo(224);
        assertThat(processor.imageMean()).containsExactly(0.48145466, 0.4578275, 0.40821073);

        SafetyCheckerConfig checker = SafetyCheckerConfig.read(CHECKER.resolve("safety_checker/config.json"));
        assertThat(checker.projectionDim()).isEqualTo(32);
        assertThat(checker.vision().hiddenSize()).isEqualTo(32);
        assertThat(checker.vision().intermediateSize()).isEqualTo(37);
        assertThat(checker.vision().numHiddenLayers()).isEqualTo(2);
        assertThat(checker.vision().numPositions()).isEqualTo(50);
    }

    @Test
    void theOlderFileWithPlainIntegerSizesMeansTheSame() throws Exception {
        // As the feature extractor published with SD 1.x writes them: "size": 224, "crop_size": 224.
        Path file = preprocessorWith("\"size\": {\n    \"shortest_edge\": 224\n  }", "\"size\": 256");
        String text = Files.readString(file).replace("\"crop_size\": {\n    \"height\": 224,\n    \"width\": 224\n  }",
                "\"crop_size\": 200");
        Files.writeString(file, text);

        ClipImageProcessorConfig config = ClipImageProcessorConfig.read(file);

        assertThat(config.shortestEdge()).isEqualTo(256);
        assertThat(config.cropHeight()).isEqualTo(200);
        assertThat(config.cropWidth()).isEqualTo(200);
    }

    @Test
    void anotherResamplingFilterIsNamed() throws Exception {
        Path file = preprocessorWith("\"resample\": 3", "\"resample\": 2");
        assertThatThrownBy(() -> ClipImageProcessorConfig.read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("feature_extractor/preprocessor_config.json")
                .hasMessageContaining("resample = 2 is not supported");
    }

    @Test
    void aCropLargerThanTheResizedSideIsNamed() throws Exception {
        Path file = preprocessorWith("\"height\": 224", "\"height\": 300");
        assertThatThrownBy(() -> ClipImageProcessorConfig.read(file))
                .hasMessageContaining("crop_size 224×300 is larger than the resized shortest side 224");
    }

    @Test
    void aSizeWithoutItsShortestEdgeIsNamed() throws Exception {
        Path file = preprocessorWith("\"shortest_edge\": 224", "\"longest_edge\": 224");
        assertThatThrownBy(() -> ClipImageProcessorConfig.read(file))
                .hasMessageContaining("preprocessor_config.json → size: shortest_edge is missing");
    }

    @Test
    void aVisionConfigWhosePatchesDoNotTileTheImageIsNamed() throws Exception {
        Path file = fileWith("safety_checker/config.json", "\"patch_size\": 32", "\"patch_size\": 30");
        assertThatThrownBy(() -> SafetyCheckerConfig.read(file))
                .hasMessageContaining("safety_checker/config.json → vision_config: patch_size = 30 does not divide"
                        + " image_size 224");
    }

    @Test
    void aMissingVisionConfigIsNamed() throws Exception {
        Path file = fileWith("safety_checker/config.json", "\"vision_config\"", "\"vision_cfg\"");
        assertThatThrownBy(() -> SafetyCheckerConfig.read(file))
                .hasMessageContaining("safety_checker/config.json: missing vision_config");
    }
}
