package io.fijigen.engine.cli;

import io.fijigen.engine.pipeline.InvalidRequestException;
import io.fijigen.proto.v1.Result;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fijigen generate}: txt2img, img2img, inpainting and outpainting, with ControlNet units, from
 * the command line, for batches and reproducible runs.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        defaultValueProvider = OptionDefaults.class,
        description = "Generate images from a prompt (txt2img), from a prompt and an init image (img2img),"
                + " repaint the masked part of an image (inpainting) or paint a border grown around it"
                + " (outpainting), with ControlNets if asked. Needs --model.")
final class GenerateCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    RemoteOptions remoteOptions;

    @Option(names = "--prompt", required = true, description = "what to draw")
    String prompt;

    @Mixin
    SamplingOptions sampling;

    @Option(names = "--width", description = "image width in pixels, a multiple of 8 (default: the init or first"
            + " control image's, else the model's)")
    Integer width;

    @Option(names = "--height", description = "image height in pixels, a multiple of 8 (default: the init or first"
            + " control image's, else the model's)")
    Integer height;

    @Option(names = "--num-images", description = "images per prompt (default ${DEFAULT-VALUE})")
    int numImages;

    @Option(names = "--init-image", paramLabel = "IMG", description = "img2img: an image file or FILE.safetensors#NAME")
    String initImage;

    @Option(names = "--strength", description = "img2img and inpainting: share of the schedule to run, in (0, 1]"
            + " (default ${DEFAULT-VALUE}; 1 when inpainting, as diffusers)")
    double strength;

    @Option(names = "--clip-skip", description = "1 = last text-encoder layer, 2 = penultimate"
            + " (default ${DEFAULT-VALUE})")
    int clipSkip;

    @Mixin
    LoraOptions loraOptions;

    @Option(names = "--embedding", paramLabel = "FILE_OR_ID", description = "a textual-inversion embedding"
            + " (with --server, a registered embedding's id): its token(s) become usable in the prompts; repeat for"
            + " several")
    List<Path> embeddings = new ArrayList<>();

    @ArgGroup(exclusive = false, heading = "Inpainting%n")
    MaskOptions inpaint;

    @ArgGroup(exclusive = false, heading = "Outpainting%n")
    OutpaintOptions outpaint;

    @Mixin
    RegionOptions regionOptions;

    @ArgGroup(exclusive = false, heading = "SDXL size conditioning%n")
    MicroConditioningOptions microConditioning = new MicroConditioningOptions();

    @ArgGroup(exclusive = false, heading = "Hires fix%n")
    HiresFixOptions hires;

    @ArgGroup(exclusive = false, multiplicity = "0..*", heading = "ControlNet units%n")
    List<ControlNetOptions> controls = new ArrayList<>();

    @ArgGroup(exclusive = true, multiplicity = "1")
    Output output;

    static final class Output {
        @Option(names = "--out", paramLabel = "FILE.png", description = "the image (FILE-2.png, … for more images)")
        Path file;

        @Option(names = "--out-dir", paramLabel = "DIR", description = "a folder for the images (<seed>-<n>.png)")
        Path dir;
    }

    @Option(names = "--safety-checker", paramLabel = "DIR", description = "check the images with this safety checker"
            + " (a folder with safety_checker/ and feature_extractor/, e.g. an SD 1.x folder); flagged images are"
            + " written black, with a warning")
    Path safetyChecker;

    @Option(names = "--safety-check", description = "with --server: have the server's safety checker check the"
            + " images; flagged images come back black, with a warning")
    boolean safetyCheck;

    @Option(names = "--out-tensor", paramLabel = "FILE.safetensors",
            description = "also write the images as one float32 tensor 'images', NHWC in [0, 1]")
    Path outTensor;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (remoteOptions.given()) {
            checkRemote();
        } else if (safetyCheck && safetyChecker == null) {
            throw new IllegalArgumentException("--safety-check asks a server's safety checker (needs --server);"
                    + " here use --safety-checker DIR");
        }
        ResultFiles.requireFolder("--out", output.file);
        ResultFiles.requireFolder("--out-tensor", outTensor);
        Result result;
        try (CommandEngine engine = CommandEngine.open(remoteOptions, err, () -> LocalModels.of(this))) {
            result = engine.generate(ProtoRequests.generate(this, engine));
        } catch (InvalidRequestException e) {
            throw ProtoRequests.refused(ProtoRequests.argumentOf(this, e.field()), e);
        }
        ResultFiles.writePngs(result, output.file, output.dir, out);
        ResultFiles.writeTensor(result, outTensor, out);
        ResultFiles.warnFlagged(result, output.file, output.dir, err);
        out.flush();
        return 0;
    }

    private void checkRemote() {
        if (safetyChecker != null) {
            throw new IllegalArgumentException("--safety-checker loads a checker here; with --server use"
                    + " --safety-check (the server's registered safety model checks the images)");
        }
        if (!modelOptions.given()) {
            throw new IllegalArgumentException("--model is required: with --server, a model id the server registers");
        }
        if (modelOptions.predictionType != null) {
            throw new IllegalArgumentException("--prediction-type is for a checkpoint loaded here; with --server the"
                    + " registry entry's prediction_type says it");
        }
    }
}
