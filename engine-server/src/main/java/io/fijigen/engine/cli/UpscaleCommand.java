package io.fijigen.engine.cli;

import io.fijigen.engine.pipeline.GenerationRequest;
import io.fijigen.engine.tensor.Layouts;
import io.fijigen.engine.pipeline.GenerationResult;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.model.Tiling;
import io.fijigen.engine.pipeline.Upscale;
import io.fijigen.engine.pipeline.UpscaleRequest;
import io.fijigen.proto.v1.Result;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fijigen upscale}: the x4 diffusion upscaler, tiled for large images. */
@Command(name = "upscale", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Upscale an image 4x with a Stable Diffusion x4 upscaler model, tile by tile when it is large;"
                + " or by Lanczos resampling alone, without --model.")
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

    @Option(names = "--negative-prompt", defaultValue = "", description = "what to steer away from")
    String negativePrompt;

    @Option(names = "--factor", defaultValue = "4", description = "output size as a multiple of the input's: the"
            + " model's 4, or another reached from it by Lanczos resampling; without --model, Lanczos alone"
            + " (default ${DEFAULT-VALUE})")
    double factor;

    @Option(names = "--noise-level", defaultValue = "20", description = "noise added to the image first, 0..the"
            + " model's max_noise_level: more lets the model invent more detail (default ${DEFAULT-VALUE})")
    int noiseLevel;

    @Option(names = "--steps", defaultValue = "75", description = "denoising steps (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--guidance", defaultValue = "9.0", description = "classifier-free guidance scale"
            + " (default ${DEFAULT-VALUE})")
    double guidance;

    @Option(names = "--scheduler", completionCandidates = SchedulerChoices.class,
            description = "${COMPLETION-CANDIDATES} (default: the model's own)")
    String scheduler;

    @Option(names = "--tile", defaultValue = "128", paramLabel = "PX", description = "tile side in input pixels"
            + " (default ${DEFAULT-VALUE})")
    int tile;

    @Option(names = "--tile-overlap", defaultValue = "32", paramLabel = "PX", description = "overlap of neighbouring"
            + " tiles in input pixels (default ${DEFAULT-VALUE})")
    int tileOverlap;

    @Option(names = "--seed", defaultValue = "-1", description = "generator seed; -1 picks one at random (default)")
    long seed;

    @Option(names = "--latents", paramLabel = "TENSOR", description = "initial latents, FILE.safetensors#NAME")
    String latents;

    @ArgGroup(exclusive = true, multiplicity = "1")
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
        PrintWriter out = spec.commandLine().getOut();
        if (remoteOptions.given()) {
            try (RemoteEngine engine = remoteOptions.connect(spec.commandLine().getErr())) {
                Result result = engine.upscale(ProtoRequests.upscale(this));
                ResultFiles.writePngs(result, output.file, null, out);
                ResultFiles.writeTensor(result, output.tensor, out);
                out.flush();
            }
            return 0;
        }
        if (!modelOptions.given()) {
            HostTensor input = TensorArgument.image(image);
            HostTensor resized = Upscale.lanczos(Layouts.nchwToNhwc(input), input, factor);
            String parameters = "Upscaled x" + factor + " by Lanczos resampling, Size: " + resized.dim(2) + "x"
                    + resized.dim(1);
            ResultFiles.writePng(resized, parameters, output.file, out);
            ResultFiles.writeTensor(resized, parameters, output.tensor, out);
            out.flush();
            return 0;
        }
        GenerationRequest.Builder generation = GenerationRequest.builder(prompt)
                .negativePrompt(negativePrompt)
                .steps(steps)
                .guidance(guidance)
                .scheduler(scheduler)
                .seed(seed);
        if (latents != null) {
            generation.latents(TensorArgument.floats(latents));
        }
        UpscaleRequest request = new UpscaleRequest(generation.build(), TensorArgument.image(image), noiseLevel,
                new Tiling(tile, tileOverlap), factor);
        try (StableDiffusion model = modelOptions.load();
                ProgressBar progress = ProgressBar.onTerminal(spec.commandLine().getErr())) {
            GenerationResult result = Upscale.generate(model, request, progress);
            ResultFiles.writePngs(result, output.file, null, out);
            ResultFiles.writeTensor(result, output.tensor, out);
            out.flush();
        }
        return 0;
    }
}
