package io.fijigen.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.ParityFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fijigen models}: the counts it prints are the ones in the safetensors headers. */
class ModelsCommandTest {

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void pipelineFolderListsComponentsWithParameterCounts() {
        CliRun result = run("models", ParityFixtures.model("tiny-sd15").toString());
        assertThat(result.exitCode()).isZero();
        // Parameter counts as summed independently from the same headers with numpy at development time.
        assertThat(result.out())
                .contains("pipeline StableDiffusionPipeline")
                .containsPattern("text_encoder +CLIPTextModel +1,609,216 parameters +F16 +52 tensors")
                .containsPattern("unet +UNet2DConditionModel +2,446,788 parameters +F16 +684 tensors")
                .containsPattern("vae +AutoencoderKL +1,399,879 parameters +F16 +244 tensors")
                .containsPattern("scheduler +PNDMScheduler")
                .contains("total 5,455,883 parameters");
    }

    @Test
    void componentFolderAndSingleFileAreDescribed() {
        CliRun controlNet = run("models", ParityFixtures.model("tiny-controlnet-canny").toString());
        assertThat(controlNet.out()).contains("component ControlNetModel").contains("1,456,048 parameters");
        CliRun lora = run("models", ParityFixtures.model("tiny-lora-kohya.safetensors").toString());
        assertThat(lora.exitCode()).isZero();
        assertThat(lora.out()).contains("file").contains("tiny-lora-kohya.safetensors");
    }

    @Test
    void safetyCheckerFolderIsDescribed() {
        CliRun checker = run("models", ParityFixtures.model("tiny-safety-checker").toString());
        assertThat(checker.exitCode()).as(checker.err()).isZero();
        // 44 F32 tensors of 115,326 elements, summed from the header with Python at development time.
        assertThat(checker.out())
                .contains("safety checker StableDiffusionSafetyChecker")
                .containsPattern("safety_checker +StableDiffusionSafetyChecker +115,326 parameters +F32 +44 tensors")
                .containsPattern("feature_extractor +CLIPImageProcessor");
    }

    @Test
    void missingFolderIsAClearError(@TempDir Path dir) {
        CliRun result = run("models", dir.resolve("nope").toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("error:").contains("nope").contains("not a model folder");
    }

    @Test
    void folderWithoutModelFilesIsAClearError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("readme.txt"), "not a model");
        CliRun result = run("models", dir.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("model_index.json").contains("config.json");
    }

    @Test
    void pipelineWithAMissingComponentFolderNamesIt(@TempDir Path dir) throws Exception {
        Files.copy(ParityFixtures.model("tiny-sd15").resolve("model_index.json"), dir.resolve("model_index.json"));
        CliRun result = run("models", dir.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("lists 'scheduler' but its folder is missing");
    }
}
