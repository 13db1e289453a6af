package io.fijigen.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.ParityFixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code fijigen models}: the counts it prints are the ones in the safetensors headers. */
class ModelsCommandTest {

    private record Result(int exitCode, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = FijigenCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void pipelineFolderListsComponentsWithParameterCounts() {
        Result result = run("models", ParityFixtures.model("tiny-sd15").toString());
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
        Result controlNet = run("models", ParityFixtures.model("tiny-controlnet-canny").toString());
        assertThat(controlNet.out()).contains("component ControlNetModel").contains("1,456,048 parameters");
        Result lora = run("models", ParityFixtures.model("tiny-lora-kohya.safetensors").toString());
        assertThat(lora.exitCode()).isZero();
        assertThat(lora.out()).contains("file").contains("tiny-lora-kohya.safetensors");
    }

    @Test
    void missingFolderIsAClearError(@TempDir Path dir) {
        Result result = run("models", dir.resolve("nope").toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("error:").contains("nope").contains("not a model folder");
    }

    @Test
    void folderWithoutModelFilesIsAClearError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("readme.txt"), "not a model");
        Result result = run("models", dir.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("model_index.json").contains("config.json");
    }

    @Test
    void pipelineWithAMissingComponentFolderNamesIt(@TempDir Path dir) throws Exception {
        Files.copy(ParityFixtures.model("tiny-sd15").resolve("model_index.json"), dir.resolve("model_index.json"));
        Result result = run("models", dir.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("lists 'scheduler' but its folder is missing");
    }
}
