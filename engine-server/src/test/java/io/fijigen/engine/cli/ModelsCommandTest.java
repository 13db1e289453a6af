package io.fijigen.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.TinyCheckpoints;
import io.fijigen.engine.weights.SafetensorsWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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

    /** Each tiny fixture's family as the user reads it, and the size diffusers would draw (sample_size 16 × 8). */
    @Test
    void everyModelShowsItsFamily() {
        assertThat(run("models", ParityFixtures.model("tiny-sd15").toString()).out())
                .containsPattern("family +sd15 \\(Stable Diffusion 1.x\\), native size 128×128");
        assertThat(run("models", ParityFixtures.model("tiny-sd2").toString()).out())
                .containsPattern("family +sd2 \\(Stable Diffusion 2.x\\), native size 128×128");
        assertThat(run("models", ParityFixtures.model("tiny-sd15-inpaint").toString()).out())
                .containsPattern("family +sd15-inpaint \\(Stable Diffusion 1.x inpainting\\), native size 128×128");
        assertThat(run("models", ParityFixtures.model("tiny-sdxl-inpaint").toString()).out())
                .containsPattern("family +sdxl-inpaint \\(Stable Diffusion XL inpainting\\), native size 128×128");
        // The upscaler draws 4× its input: no size of its own.
        assertThat(run("models", ParityFixtures.model("tiny-x4-upscaler").toString()).out())
                .containsPattern("family +x4-upscaler \\(Stable Diffusion x4 upscaler\\)\\R");
        assertThat(run("models", ParityFixtures.model("tiny-controlnet-canny").toString()).out())
                .containsPattern("family +sd15 \\(Stable Diffusion 1.x\\)\\R");
        assertThat(run("models", ParityFixtures.model("tiny-controlnet-sdxl").toString()).out())
                .containsPattern("family +sdxl \\(Stable Diffusion XL\\)\\R");
        // kohya's lora_te_ names SD 1.x/2.x's one text encoder, lora_te1_/lora_te2_ SDXL's two.
        assertThat(run("models", ParityFixtures.model("tiny-lora-kohya.safetensors").toString()).out())
                .containsPattern("family +sd \\(Stable Diffusion 1.x or 2.x\\)\\R");
        assertThat(run("models", ParityFixtures.model("tiny-lora-sdxl-kohya.safetensors").toString()).out())
                .containsPattern("family +sdxl \\(Stable Diffusion XL\\)\\R");
    }

    /** Counts summed from the headers with Python at development time. */
    @Test
    void sdxlFolderShowsItsFamilyAndBothTextEncoders() {
        CliRun result = run("models", ParityFixtures.model("tiny-sdxl").toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out())
                .contains("pipeline StableDiffusionXLPipeline")
                .containsPattern("family +sdxl \\(Stable Diffusion XL\\), native size 128×128")
                .containsPattern("text_encoder +CLIPTextModel +1,609,216 parameters +F16 +52 tensors")
                .containsPattern("text_encoder_2 +CLIPTextModelWithProjection +1,610,240 parameters +F16 +53 tensors")
                .containsPattern("unet +UNet2DConditionModel +3,968,324 parameters +F16 +838 tensors")
                .containsPattern("tokenizer_2 +CLIPTokenizer")
                .contains("total 8,587,659 parameters");
    }

    /** The single file holds the folder's networks: the same counts under the same names. */
    @Test
    void sdxlSingleFileShowsItsFamilyAndBothTextEncoders(@TempDir Path dir) throws Exception {
        Path file = Files.copy(ParityFixtures.model("tiny-sdxl.safetensors"), dir.resolve("tiny-sdxl.safetensors"));
        Files.writeString(dir.resolve("tiny-sdxl.yaml"), TinyCheckpoints.SDXL_YAML);
        for (String tokenizer : new String[] {"tokenizer", "tokenizer_2"}) {
            TinyCheckpoints.copyFolder(ParityFixtures.model("tiny-sdxl").resolve(tokenizer),
                    dir.resolve("tiny-sdxl." + tokenizer));
        }
        CliRun result = run("models", file.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out())
                .contains("single file StableDiffusionXLPipeline (Stable Diffusion XL)")
                .containsPattern("family +sdxl \\(Stable Diffusion XL\\), native size 128×128")
                .containsPattern("text_encoder +CLIPTextModel +1,609,216 parameters")
                .containsPattern("text_encoder_2 +CLIPTextModelWithProjection +1,610,240 parameters")
                .containsPattern("unet +UNet2DConditionModel +3,968,324 parameters")
                .contains("tiny-sdxl.tokenizer_2");
    }

    @Test
    void componentFolderAndSingleFileAreDescribed() {
        CliRun controlNet = run("models", ParityFixtures.model("tiny-controlnet-canny").toString());
        assertThat(controlNet.out()).contains("component ControlNetModel").contains("1,456,048 parameters");
    }

    @Test
    void loraListsItsLayersPerNetwork() {
        CliRun lora = run("models", ParityFixtures.model("tiny-lora-kohya.safetensors").toString());
        assertThat(lora.exitCode()).as(lora.err()).isZero();
        // Counted from the header with Python at development time: 128 lora_unet_ and 18 lora_te_ downs, all rank 4.
        assertThat(lora.out())
                .contains("tiny-lora-kohya.safetensors: LoRA")
                .containsPattern("style +kohya")
                .containsPattern("unet +128 layers, rank 4")
                .containsPattern("text_encoder +18 layers, rank 4");
    }

    @Test
    void brokenLoraSaysWhichLayer(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("half.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            SafetensorsWriter.write(file, Map.of("lora_unet_mid_block_attentions_0_proj_in.lora_down.weight",
                    manager.zeros(new Shape(4, 8))), Map.of());
        }
        CliRun result = run("models", file.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("mid_block_attentions_0_proj_in").contains("has no up");
    }

    @Test
    void textualInversionListsItsTokens(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mystyle.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            SafetensorsWriter.write(file, Map.of("emb_params", manager.zeros(new Shape(2, 32))), Map.of());
        }
        CliRun result = run("models", file.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("mystyle.safetensors: textual inversion").containsPattern("mystyle +2 vectors of 32");
    }

    @Test
    void singleFileCheckpointListsItsNetworksUnderDiffusersNames(@TempDir Path dir) throws Exception {
        Path file = TinyCheckpoints.checkpoint(dir, "tiny-sd2", TinyCheckpoints.SD2_YAML);
        CliRun result = run("models", file.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        // The counts of the tiny-sd2 folder's own files, which the single file was written from
        // (the extra OpenCLIP resblock, text_projection and logit_scale are dropped, as the reference does).
        CliRun folder = run("models", ParityFixtures.model("tiny-sd2").toString());
        for (String component : new String[] {"text_encoder", "unet", "vae"}) {
            String line = folder.out().lines().filter(l -> l.trim().startsWith(component + " ")).findFirst().orElseThrow();
            String counts = line.replaceAll(".*?([0-9,]+ parameters).*?(\\d+ tensors).*", "$1 .* $2");
            assertThat(result.out()).containsPattern(component + " .*" + counts);
        }
        assertThat(result.out())
                .contains("single file StableDiffusionPipeline (Stable Diffusion 2.x)")
                .containsPattern("scheduler +DDIMScheduler \\(v_prediction\\)")
                .contains("tiny-sd2.tokenizer");
    }

    /** tiny-sdxl.safetensors (SGM layout): both text encoders, with the counts of the tiny-sdxl folder's files. */
    @Test
    void sdxlSingleFileListsBothTextEncoders(@TempDir Path dir) throws Exception {
        Path file = Files.copy(ParityFixtures.model("tiny-sdxl.safetensors"), dir.resolve("tiny-sdxl.safetensors"));
        Files.writeString(dir.resolve("tiny-sdxl.yaml"), TinyCheckpoints.SDXL_YAML);
        for (String tokenizer : new String[] {"tokenizer", "tokenizer_2"}) {
            TinyCheckpoints.copyFolder(ParityFixtures.model("tiny-sdxl").resolve(tokenizer), dir.resolve(tokenizer));
        }
        CliRun result = run("models", file.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        CliRun folder = run("models", ParityFixtures.model("tiny-sdxl").toString());
        for (String component : new String[] {"text_encoder", "text_encoder_2", "unet", "vae"}) {
            String line = folder.out().lines().filter(l -> l.trim().startsWith(component + " ")).findFirst().orElseThrow();
            String counts = line.replaceAll(".*?([0-9,]+ parameters).*?(\\d+ tensors).*", "$1 .* $2");
            assertThat(result.out()).containsPattern(component + " .*" + counts);
        }
        assertThat(result.out())
                .contains("single file StableDiffusionXLPipeline (Stable Diffusion XL)")
                .containsPattern("text_encoder_2 +CLIPTextModelWithProjection")
                .containsPattern("scheduler +EulerDiscreteScheduler \\(epsilon\\)")
                .containsPattern("tokenizer_2 +CLIPTokenizer from .*tokenizer_2");
    }

    @Test
    void singleFileWhoseConfigCannotBeInferredIsAClearError(@TempDir Path dir) throws Exception {
        Path file = TinyCheckpoints.weights(dir, "tiny-sd15", "tiny");
        CliRun result = run("models", file.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("cannot infer").contains("num_heads").contains("tiny.yaml");
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
