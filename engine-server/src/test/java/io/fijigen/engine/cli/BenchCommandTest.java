package io.fijigen.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.fijigen.engine.ParityFixtures;
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
        String[] args = new String[more.length + 13];
        String[] base = {"bench", "--model", ParityFixtures.model("tiny-sd15").toString(), "--width", "64",
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
        assertThat(CliRun.of("bench", "--arch", "sd99", "--random-weights").exitCode()).isNotZero();
    }
}
