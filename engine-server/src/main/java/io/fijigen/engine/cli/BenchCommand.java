package io.fijigen.engine.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.fijigen.engine.model.ModelFolder;
import io.fijigen.engine.nn.AutoencoderKL;
import io.fijigen.engine.nn.CLIPTextModel;
import io.fijigen.engine.nn.ControlNetModel;
import io.fijigen.engine.nn.UNet2DConditionModel;
import io.fijigen.engine.nn.UNetResiduals;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fijigen bench}: wall time of each network on random inputs of a pipeline's shapes (CFG
 * batch 2), median over repetitions after a warm-up. Numbers for notes and comparisons, not tests.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time the text encoder, one UNet step (CFG batch 2), optionally a ControlNet, and the VAE decoder"
                + " of a model.")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "a diffusers model folder")
    Path model;

    @Option(names = "--controlnet", paramLabel = "DIR", description = "also time this ControlNet's step (batch 2)")
    Path controlNet;

    @Option(names = "--size", defaultValue = "512", description = "image side in pixels (default ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--repeat", defaultValue = "10", description = "timed repetitions (default ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--warmup", defaultValue = "2", description = "untimed repetitions first (default ${DEFAULT-VALUE})")
    int warmup;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (size <= 0 || size % 8 != 0) {
            throw new IllegalArgumentException("--size " + size + " is not a positive multiple of 8");
        }
        if (repeat < 1 || warmup < 0) {
            throw new IllegalArgumentException("--repeat must be ≥ 1 and --warmup ≥ 0");
        }
        PrintWriter out = spec.commandLine().getOut();
        ModelFolder folder = ModelFolder.open(model);
        try (NDManager manager = NDManager.newBaseManager()) {
            CLIPTextModel textEncoder = folder.textEncoder(manager, DataType.FLOAT32);
            UNet2DConditionModel unet = folder.unet(manager, DataType.FLOAT32);
            AutoencoderKL vae = folder.vae(manager, DataType.FLOAT32);
            int latentSide = size / vae.config().downscale();
            long tokens = textEncoder.config().maxPositionEmbeddings();
            NDArray ids = manager.zeros(new Shape(2, tokens), DataType.INT64);
            NDArray text = textEncoder.encode(ids, 1);
            NDArray latents = manager.randomNormal(new Shape(2, unet.config().inChannels(), latentSide, latentSide));
            NDArray timestep = manager.create(500f);
            NDArray decodable = manager.randomNormal(new Shape(1, vae.config().latentChannels(), latentSide, latentSide));
            out.printf(Locale.ROOT, "%s, %dx%d, CPU float32, median of %d after %d warm-up%n", model, size, size,
                    repeat, warmup);
            report(out, "text encoder (batch 2)", time(manager, m -> textEncoder.encode(ids, 1)));
            // The upscaler's UNet takes the noise level as a class label: the default level, 20.
            NDArray labels = unet.config().numClassEmbeds() != null ? manager.create(new long[] {20, 20}) : null;
            report(out, "UNet step (batch 2)", time(manager, m -> unet.forward(latents, timestep, text, labels, null)));
            if (controlNet != null) {
                ControlNetModel control = ModelFolder.loadControlNet(controlNet, manager, DataType.FLOAT32);
                NDArray image = manager.randomUniform(0, 1, new Shape(2, control.config().conditioningChannels(), size, size));
                report(out, "ControlNet (batch 2)", time(manager, m -> {
                    UNetResiduals residuals = control.forward(latents, timestep, text, image, 1f, false);
                    residuals.down().forEach(NDArray::close);
                    return residuals.mid();
                }));
            }
            report(out, "VAE decode (batch 1)", time(manager, m -> vae.decode(decodable)));
            out.flush();
        }
        return 0;
    }

    /** Median milliseconds of {@code body}, each run in its own manager so nothing accumulates. */
    private double time(NDManager manager, Function<NDManager, NDArray> body) {
        double[] millis = new double[repeat];
        for (int i = -warmup; i < repeat; i++) {
            try (NDManager run = manager.newSubManager()) {
                long start = System.nanoTime();
                NDArray result = body.apply(run);
                result.toFloatArray();
                result.close();
                if (i >= 0) {
                    millis[i] = (System.nanoTime() - start) / 1e6;
                }
            }
        }
        Arrays.sort(millis);
        return millis[repeat / 2];
    }

    private static void report(PrintWriter out, String what, double millis) {
        out.printf(Locale.ROOT, "  %-24s %10.2f ms%n", what, millis);
    }
}
