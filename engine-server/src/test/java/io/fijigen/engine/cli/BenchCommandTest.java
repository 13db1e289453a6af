package io.fijigen.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.bench.Architecture;
import io.fijigen.engine.nn.KernelPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fijigen bench} on the tiny SD 1.5: the report's structure, operator counts and bad arguments. */
class BenchCommandTest {
    @TempDir
    Path dir;

    private CliRun bench(String... more) {
        return benchOn("tiny-sd15", more);
    }

    private CliRun benchOn(String model, String... more) {
        String[] args = new String[more.length + 13];
        String[] base = {"bench", "--model", ParityFixtures.model(model).toString(), "--width", "64",
            "--height", "64", "--warmup", "0", "--repeat", "1", "--work-dir", dir.toString()};
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return CliRun.of(args);
    }

    @Test
    void countsOperatorsAndKernelsPerStep() throws IOException {
        Path json = dir.resolve("report.json");
        CliRun run = bench("--steps", "3", "--scheduler", "ddim", "--json", json.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonObject report = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertThat(report.get("steps").getAsInt()).isEqualTo(3);
        assertThat(report.getAsJsonArray("stepMillis")).hasSize(2);
        int jni = report.get("unetJniOps").getAsInt();
        // The fused kernels' goal, and what plain ops need: the tiny model has SD 1.5's block structure.
        if (KernelPath.selected() == KernelPath.TORCHSCRIPT) {
            assertThat(jni).isBetween(1, 200);
        } else {
            assertThat(jni).isGreaterThan(1000);
        }
        assertThat(report.get("unetAllOps").getAsInt()).isGreaterThan(jni);
        // Views and allocations launch nothing; inside a fused kernel every convolution, norm and add
        // is a kernel of its own on the CPU.
        int kernels = report.get("unetKernels").getAsInt();
        assertThat(kernels).isPositive().isLessThan(report.get("unetAllOps").getAsInt());
        if (KernelPath.selected() == KernelPath.TORCHSCRIPT) {
            assertThat(kernels).isGreaterThan(jni);
        }
        assertThat(run.out()).contains("JNI calls per UNet step: " + jni);
        assertThat(dir.resolve("traces/unet-trace.json")).exists();
    }

    /** SDXL's UNet takes the pooled text and time ids too; its 3-level, deeper blocks fuse as SD's do. */
    @Test
    void countsSdxlOperatorsPerStep() throws IOException {
        Path json = dir.resolve("report.json");
        CliRun run = benchOn("tiny-sdxl", "--steps", "3", "--json", json.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonObject report = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertThat(report.get("scheduler").getAsString()).isEqualTo("euler");
        assertThat(report.getAsJsonArray("stepMillis")).hasSize(2);
        assertThat(report.get("encodeMillis").getAsDouble()).isPositive();
        int jni = report.get("unetJniOps").getAsInt();
        System.out.println("tiny-sdxl: JNI calls per UNet step " + jni + ", per denoising step "
                + report.get("stepJniOps").getAsInt());
        if (KernelPath.selected() == KernelPath.TORCHSCRIPT) {
            assertThat(jni).isBetween(1, 200);
        } else {
            assertThat(jni).isGreaterThan(1000);
        }
        assertThat(report.get("stepJniOps").getAsInt()).isGreaterThan(jni);
        assertThat(run.out()).contains("JNI calls per UNet step: " + jni);
    }

    @Test
    void sdxlControlNetWorkload() throws IOException {
        Path json = dir.resolve("report.json");
        CliRun run = benchOn("tiny-sdxl", "--workload", "controlnet", "--controlnet",
                ParityFixtures.model("tiny-controlnet-sdxl").toString(), "--steps", "2", "--no-op-count",
                "--json", json.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonObject report = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertThat(report.get("model").getAsString()).isEqualTo("tiny-sdxl");
        assertThat(report.get("workload").getAsString()).isEqualTo("controlnet");
        assertThat(report.getAsJsonArray("stepMillis")).hasSize(1);
        assertThat(report.get("unetJniOps").getAsInt()).isEqualTo(-1);
    }

    @Test
    void helpListsEveryArchitecture() {
        String help = String.join(" ", FijigenCli.commandLine().getSubcommands().get("bench").getCommandSpec()
                .findOption("--arch").description());
        assertThat(help).isEqualTo("a full-size architecture instead of --model: " + String.join(", ",
                Architecture.ids()) + " (needs --random-weights)");
        assertThat(help).contains("sd15, sd21, sd15-controlnet, sd15-inpaint, x4-upscaler, sdxl, sdxl-controlnet");
    }

    @Test
    void oneStepWithoutOperatorCounts() throws IOException {
        Path json = dir.resolve("report.json");
        CliRun run = bench("--steps", "1", "--no-op-count", "--json", json.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonObject report = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertThat(report.getAsJsonArray("stepMillis")).isEmpty();
        assertThat(report.get("unetJniOps").getAsInt()).isEqualTo(-1);
        assertThat(report.get("peakResidentBytes").getAsLong()).isPositive();
        assertThat(run.out()).doesNotContain("JNI calls per UNet step").doesNotContain("NaN")
                .containsPattern("UNet step \\(median\\) +- \\(one step: timed with the set-up, below\\)");
        assertThat(dir.resolve("traces/unet-trace.json")).doesNotExist();
    }

    @Test
    void badArgumentsAreNamed() {
        assertThat(bench("--steps", "0").err()).contains("--steps, --batch and --repeat must be ≥ 1");
        assertThat(CliRun.of("bench", "--model", ParityFixtures.model("tiny-sd15").toString(), "--width", "60").err())
                .contains("--width 60 and --height 512 must be positive multiples of 8");
        assertThat(CliRun.of("bench", "--arch", "sd15").err()).contains("--arch sd15 needs --random-weights");
        assertThat(CliRun.of("bench", "--arch", "sdxl").err()).contains("--arch sdxl needs --random-weights");
        CliRun unknown = CliRun.of("bench", "--arch", "sd99", "--random-weights");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.err()).contains("unknown architecture 'sd99' (known: " + String.join(", ", Architecture.ids()));
        assertThat(CliRun.of("bench", "--arch", "sdxl", "--random-weights", "--workload", "controlnet",
                "--work-dir", dir.toString()).err())
                .contains("the controlnet workload needs --controlnet DIR or an architecture with a ControlNet"
                        + " (sd15-controlnet, sdxl-controlnet); sdxl has none");
        assertThat(dir.resolve("sdxl")).as("refused before the 14 GB model is written").doesNotExist();
    }
}
