package io.fijigen.engine.cli;

import io.fijigen.engine.pipeline.InvalidRequestException;
import io.fijigen.proto.v1.Result;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fijigen upscale}: the x4 diffusion upscaler, tiled for large images. */
@Command(name = "upscale", mixinStandardHelpOptions = true, sortOptions = false,
        defaultValueProvider = OptionDefaults.class,
        description = "Upscale an image 4x with a Stable Diffusion x4 upscaler model (--model), tile by tile when it"
                + " is large; without --model, by Lanczos resampling alone. With --refine, enlarge by --factor, then"
                + " repaint tile by tile by img2img with --model, a Stable Diffusion model.")
final class UpscaleCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    RemoteOptions remoteOptions;

    @Option(names = "--image", required = true, paramLabel = "IMG", description = "the image to upscale: an image"
            + " file or FILE.safetensors#NAME")
    String image;

    @Option(names = "--prompt", defaultValue = "", description = "what the image shows (helps the details)")
    String prompt;

    @Mixin
    SamplingOptions sampling;

    @Option(names = "--factor", description = "output size as a multiple of the input's: the"
            + " model's 4, or another reached from it by Lanczos resampling; without --model, Lanczos alone"
            + " (default ${DEFAULT-VALUE})")
    double factor;

    @Option(names = "--noise-level", description = "noise added to the image first, 0..the"
            + " model's max_noise_level: more lets the model invent more detail (default ${DEFAULT-VALUE})")
    int noiseLevel;

    @Option(names = "--tile", paramLabel = "PX", description = "tile side in input pixels"
            + " (default ${DEFAULT-VALUE}); with --refine, the refine's tiles in output pixels (default: the model's"
            + " native size)")
    int tile;

    @Option(names = "--tile-overlap", paramLabel = "PX", description = "overlap of neighbouring"
            + " tiles in input pixels (default ${DEFAULT-VALUE}); with --refine, in output pixels (default: a quarter"
            + " of the tile)")
    int tileOverlap;

    @ArgGroup(exclusive = false, heading = "Refine Upscale%n")
    RefineOptions refine;

    /** One of them, or both. */
    @ArgGroup(exclusive = false, multiplicity = "1")
    Output output;

    static final class Output {
        @Option(names = "--out", paramLabel = "FILE.png", description = "the upscaled image")
        Path file;

        @Option(names = "--out-tensor", paramLabel = "FILE.safetensors",
                description = "the image as one float32 tensor 'images', NHWC in [0, 1]")
        Path tensor;
    }

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ResultFiles.requireFolder("--out", output.file);
        ResultFiles.requireFolder("--out-tensor", output.tensor);
        PrintWriter out = spec.commandLine().getOut();
        Result result;
        try (CommandEngine engine = CommandEngine.open(remoteOptions, spec.commandLine().getErr(),
                () -> LocalModels.of(this))) {
            result = engine.upscale(ProtoRequests.upscale(this, engine));
        } catch (InvalidRequestException e) {
            throw ProtoRequests.refused(ProtoRequests.argumentOf(this, e.field()), e);
        }
        ResultFiles.writePngs(result, output.file, null, out);
        ResultFiles.writeTensor(result, output.tensor, out);
        if (result.hasConsistency()) {
            out.printf(Locale.ROOT, "consistency with the input (result shrunk back by Lanczos): PSNR %.2f dB,"
                    + " SSIM %.4f%n", result.getConsistency().getPsnrDb(), result.getConsistency().getSsim());
        }
        out.flush();
        return 0;
    }
}
