package io.fijigen.engine.bench;

import com.google.gson.GsonBuilder;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;

/**
 * What one {@code fijigen bench} run measured. Times are medians over the timed runs, in
 * milliseconds; {@code stepMillis} holds the steps of the median run after the first (which
 * includes the set-up).
 *
 * @param encodeMillis the text encoder alone, prompt and negative prompt (batch 2 × images); for
 *     SDXL the pipelines' prompt encoding (both encoders and the pooled text)
 * @param decodeMillis the VAE decoder alone on the run's latents
 * @param firstStepMillis pipeline start to the end of step 1: prompt encoding, image encoding and
 *     latent set-up as the pipeline does them, and the first step
 * @param finishMillis the last step's end to the pipeline's return: decoding and conversion
 * @param unetJniOps JNI calls that dispatched an operator during one UNet forward (CFG batch)
 * @param unetAllOps every operator during it, nested ones too
 * @param unetKernels its kernel launches: leaf operators that computed (see {@code OpProfile})
 * @param stepJniOps the same for a whole denoising step in the pipeline (UNet, ControlNet,
 *     guidance, scheduler), the difference between a 3-step and a 2-step run; the operator counts
 *     are −1 when the run did not count them
 * @param peakResidentBytes the process's peak resident memory (weights mapped from disk count once touched)
 * @param peakDeviceBytes the GPU memory in use at its highest sampled point; -1 on the CPU
 */
public record BenchReport(String model, String workload, String device, String dtype, int width, int height,
        int steps, int batch, String scheduler, int runs, double loadMillis, double encodeMillis,
        double[] stepMillis, double decodeMillis, double firstStepMillis, double finishMillis, double totalMillis,
        double imagesPerSecond, int unetJniOps, int unetAllOps, int unetKernels, int stepJniOps, long peakResidentBytes,
        long peakDeviceBytes) {

    /** NaN for a one-step run, whose only step includes the set-up. */
    public double medianStepMillis() {
        return stepMillis.length == 0 ? Double.NaN : PipelineBench.median(stepMillis);
    }

    public void print(PrintWriter out) {
        out.printf(Locale.ROOT, "%s, %s %dx%d, %d steps of %s, batch %d, %s %s, median of %d run(s)%n", model,
                workload, width, height, steps, scheduler, batch, device, dtype, runs);
        row(out, "load", loadMillis);
        row(out, "text encoder", encodeMillis);
        if (stepMillis.length > 0) {
            row(out, "UNet step (median)", medianStepMillis());
            double min = Arrays.stream(stepMillis).min().orElse(0);
            double max = Arrays.stream(stepMillis).max().orElse(0);
            out.printf(Locale.ROOT, "  %-28s %10.2f … %.2f ms%n", "UNet steps (min … max)", min, max);
        } else {
            out.printf(Locale.ROOT, "  %-28s %10s (one step: timed with the set-up, below)%n", "UNet step (median)", "-");
        }
        row(out, "VAE decode", decodeMillis);
        row(out, "pipeline: set-up and step 1", firstStepMillis);
        row(out, "pipeline: after the steps", finishMillis);
        row(out, "pipeline: total", totalMillis);
        out.printf(Locale.ROOT, "  %-28s %10.3f%n", "images/s", imagesPerSecond);
        out.printf(Locale.ROOT, "  %-28s %10.1f MiB%n", "peak resident memory", peakResidentBytes / 1048576.0);
        if (peakDeviceBytes >= 0) {
            out.printf(Locale.ROOT, "  %-28s %10.1f MiB%n", "peak device memory", peakDeviceBytes / 1048576.0);
        }
        if (unetJniOps >= 0) {
            out.printf(Locale.ROOT, "  %-28s %10d (all operators, nested too: %d)%n", "ops per UNet forward",
                    unetJniOps, unetAllOps);
            out.printf(Locale.ROOT, "  %-28s %10d%n", "kernels per UNet forward", unetKernels);
            out.printf(Locale.ROOT, "  %-28s %10d%n", "ops per denoising step", stepJniOps);
            out.printf(Locale.ROOT, "JNI calls per UNet step: %d%n", unetJniOps);
        }
        out.flush();
    }

    public String toJson() {
        return new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(this);
    }

    private static void row(PrintWriter out, String what, double millis) {
        out.printf(Locale.ROOT, "  %-28s %10.2f ms%n", what, millis);
    }
}
