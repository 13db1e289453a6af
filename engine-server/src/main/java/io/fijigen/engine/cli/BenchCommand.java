package io.fijigen.engine.cli;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.bench.Architecture;
import io.fijigen.engine.bench.BenchReport;
import io.fijigen.engine.bench.PipelineBench;
import io.fijigen.engine.bench.Workload;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fijigen bench}: a workload through the engine's pipelines on a model folder, or on a
 * full-size architecture with random weights, timed per phase and per step, with operator counts
 * and memory. Numbers for notes and comparisons, not tests.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time a pipeline (text encoder, each UNet step, VAE decode), count the JNI calls per UNet step,"
                + " and report memory, on a model folder or a full-size architecture with random weights.")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "DIR", description = "a diffusers model folder")
    Path model;

    @Option(names = "--arch", paramLabel = "NAME", completionCandidates = ArchitectureChoices.class,
            description = "a full-size architecture instead of --model: ${COMPLETION-CANDIDATES}"
                    + " (needs --random-weights)")
    String arch;

    @Option(names = "--random-weights", description = "with --arch: random weights of the real model's shapes,"
            + " written once under --work-dir")
    boolean randomWeights;

    @Option(names = "--workload", paramLabel = "NAME", description = "txt2img, controlnet, inpaint or upscale"
            + " (default: what the architecture is for; txt2img for a folder)")
    String workload;

    @Option(names = "--controlnet", paramLabel = "DIR", description = "the ControlNet folder of the controlnet"
            + " workload (with --arch sd15-controlnet or sdxl-controlnet: its own)")
    Path controlNet;

    @Option(names = "--width", defaultValue = "512", description = "output width (default ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--height", defaultValue = "512", description = "output height (default ${DEFAULT-VALUE})")
    int height;

    @Option(names = "--steps", defaultValue = "30", description = "denoising steps (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--batch", defaultValue = "1", description = "images per prompt (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--scheduler", description = "scheduler name, as generate takes it (default: the model's)")
    String scheduler;

    @Option(names = "--device", paramLabel = "cpu|gpu", defaultValue = "cpu", description = "cpu or gpu (default ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--dtype", paramLabel = "fp32|fp16", defaultValue = "fp32", description = "fp32, or fp16 on a GPU (default ${DEFAULT-VALUE})")
    String dtype;

    @Option(names = "--warmup", defaultValue = "1", description = "untimed runs first (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--repeat", defaultValue = "3", description = "timed runs; the median is reported"
            + " (default ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--op-count", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "profile a UNet forward and 2- and 3-step runs to count JNI calls and kernels; --no-op-count"
                    + " skips them, for large sizes (default: count)")
    boolean countOps;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the report as JSON")
    Path json;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "random-weight models and profiler traces"
            + " (default: fijigen-bench in the temporary folder)")
    Path workDir = Path.of(System.getProperty("java.io.tmpdir"), "fijigen-bench");

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if ((model == null) == (arch == null)) {
            throw new IllegalArgumentException("give either --model DIR or --arch NAME --random-weights");
        }
        if (arch != null && !randomWeights) {
            throw new IllegalArgumentException("--arch " + arch + " needs --random-weights: no trained weights are"
                    + " bundled, only the architecture");
        }
        int multiple = 8;
        if (width <= 0 || height <= 0 || width % multiple != 0 || height % multiple != 0) {
            throw new IllegalArgumentException("--width " + width + " and --height " + height
                    + " must be positive multiples of " + multiple);
        }
        if (steps < 1 || batch < 1 || repeat < 1 || warmup < 0) {
            throw new IllegalArgumentException("--steps, --batch and --repeat must be ≥ 1, --warmup ≥ 0");
        }
        ResultFiles.requireFolder("--json", json);
        DataType floatType = ModelOptions.floatType(dtype);
        // Before the random weights are written: that loads libtorch, which this checks first.
        Device target = ModelOptions.device(device, floatType);
        Architecture architecture = arch == null ? null : Architecture.of(arch);
        Workload kind = workload != null ? Workload.of(workload)
                : architecture != null ? architecture.workload() : Workload.TXT2IMG;
        if (kind == Workload.UPSCALE && (width % 32 != 0 || height % 32 != 0)) {
            throw new IllegalArgumentException("upscale: --width " + width + " and --height " + height
                    + " are the ×4 output and must be multiples of 32 (the input, a quarter, of 8)");
        }
        // The ControlNet first: an architecture without one is refused before its model is written.
        Path control = controlNet == null && kind == Workload.CONTROLNET && architecture != null
                ? architecture.controlNetFolder(workDir)
                : controlNet;
        Path folder = architecture == null ? model : architecture.folder(workDir);
        BenchReport report = PipelineBench.run(folder, control,
                new PipelineBench.Settings(kind, width, height, steps, batch, scheduler, warmup, repeat, countOps),
                target, floatType, workDir.resolve("traces"));
        PrintWriter out = spec.commandLine().getOut();
        report.print(out);
        if (json != null) {
            Files.writeString(json, report.toJson(), StandardCharsets.UTF_8);
        }
        return 0;
    }
}
