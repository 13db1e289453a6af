package io.fijigen.engine.cli;

import io.fijigen.engine.image.CannyEdges;
import io.fijigen.engine.model.ModelFolder;
import io.fijigen.engine.pipeline.ControlUnit;
import io.fijigen.engine.pipeline.GenerationRequest;
import io.fijigen.engine.pipeline.GenerationResult;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.pipeline.InpaintOptions;
import io.fijigen.engine.pipeline.Pipelines;
import io.fijigen.engine.pipeline.SafetyChecker;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.text.LoraTags;
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
 * {@code fijigen generate}: txt2img, img2img and inpainting, with ControlNet units, from the command
 * line, for batches and reproducible runs.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Generate images from a prompt (txt2img), from a prompt and an init image (img2img), or repaint"
                + " the masked part of an image (inpainting); each optionally guided by ControlNets.")
final class GenerateCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    RemoteOptions remoteOptions;

    @Option(names = "--prompt", required = true, description = "what to draw")
    String prompt;

    @Option(names = "--negative-prompt", defaultValue = "", description = "what to steer away from")
    String negativePrompt;

    @Option(names = "--steps", defaultValue = "50", description = "denoising steps (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--guidance", defaultValue = "7.5", description = "classifier-free guidance scale; ≤ 1 turns it off"
            + " (default ${DEFAULT-VALUE})")
    double guidance;

    @Option(names = "--width", description = "image width in pixels, a multiple of 8 (default: the model's size)")
    Integer width;

    @Option(names = "--height", description = "image height in pixels, a multiple of 8 (default: the model's size)")
    Integer height;

    @Option(names = "--scheduler", completionCandidates = SchedulerChoices.class,
            description = "${COMPLETION-CANDIDATES} (default: the model's own)")
    String scheduler;

    @Option(names = "--seed", defaultValue = "-1", description = "generator seed; -1 picks one at random (default)")
    long seed;

    @Option(names = "--num-images", defaultValue = "1", description = "images per prompt (default ${DEFAULT-VALUE})")
    int numImages;

    @Option(names = "--init-image", paramLabel = "IMG", description = "img2img: an image file or FILE.safetensors#NAME")
    String initImage;

    @Option(names = "--strength", defaultValue = "0.8", description = "img2img: share of the schedule to run, in (0, 1]"
            + " (default ${DEFAULT-VALUE})")
    double strength;

    @Option(names = "--latents", paramLabel = "TENSOR", description = "initial latents, FILE.safetensors#NAME")
    String latents;

    @Option(names = "--clip-skip", defaultValue = "1", description = "1 = last text-encoder layer, 2 = penultimate"
            + " (default ${DEFAULT-VALUE})")
    int clipSkip;

    @Mixin
    LoraOptions loraOptions;

    @Option(names = "--embedding", paramLabel = "FILE.safetensors", description = "a textual-inversion embedding:"
            + " its token(s) become usable in the prompts; repeat for several; not with --server")
    List<Path> embeddings = new ArrayList<>();

    @ArgGroup(exclusive = false, heading = "Inpainting%n")
    MaskOptions inpaint;

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
            if (!embeddings.isEmpty()) {
                throw new IllegalArgumentException("--embedding works on local runs only: the server API has no"
                        + " textual-inversion embeddings");
            }
            if (safetyChecker != null) {
                throw new IllegalArgumentException("--safety-checker loads a checker here; with --server use"
                        + " --safety-check (the server's registered safety model checks the images)");
            }
            try (RemoteEngine engine = remoteOptions.connect(err)) {
                Result result = engine.generate(ProtoRequests.generate(this));
                ResultFiles.writePngs(result, output.file, output.dir, out);
                ResultFiles.writeTensor(result, outTensor, out);
                ResultFiles.warnFlagged(result.getFlaggedList(), result.getSeeds(0), output.file, output.dir, err);
                out.flush();
            }
            return 0;
        }
        if (safetyCheck) {
            throw new IllegalArgumentException("--safety-check asks a server's safety checker (needs --server);"
                    + " here use --safety-checker DIR");
        }
        try (StableDiffusion sd = modelOptions.load();
                SafetyChecker checker = safetyChecker == null ? null
                        : SafetyChecker.load(safetyChecker, sd.manager().getDevice(), sd.dtype());
                ProgressBar progress = ProgressBar.onTerminal(err)) {
            GenerationResult result = Pipelines.generate(sd, request(sd).toBuilder().safetyChecker(checker).build(),
                    progress);
            ResultFiles.writePngs(result, output.file, output.dir, out);
            ResultFiles.writeTensor(result, outTensor, out);
            ResultFiles.warnFlagged(result.flagged(), result.seed(), output.file, output.dir, err);
            out.flush();
        }
        return 0;
    }

    private GenerationRequest request(StableDiffusion sd) throws Exception {
        LoraTags.Parsed tagged = LoraTags.parse(prompt);
        GenerationRequest.Builder builder = GenerationRequest.builder(tagged.prompt())
                .negativePrompt(negativePrompt)
                .steps(steps)
                .guidance(guidance)
                .scheduler(scheduler)
                .seed(seed)
                .numImages(numImages)
                .clipSkip(clipSkip);
        loraOptions.local(tagged.tags()).forEach(builder::lora);
        embeddings.forEach(builder::embedding);
        HostTensor init = initImage != null ? TensorArgument.image(initImage) : null;
        if (init != null) {
            builder.initImage(init, strength);
        }
        if (latents != null) {
            builder.latents(TensorArgument.floats(latents));
        }
        if (inpaint != null) {
            if (init == null) {
                throw new IllegalArgumentException("--mask needs --init-image: the image to inpaint");
            }
            builder.mask(TensorArgument.mask(inpaint.mask)).inpaintOptions(new InpaintOptions(inpaint.blur,
                    inpaint.grow, inpaint.onlyMasked, inpaint.padding, !inpaint.noPasteBack));
        }
        HostTensor firstControl = null;
        for (ControlNetOptions unit : controls) {
            HostTensor control = controlImage(unit, init);
            firstControl = firstControl == null ? control : firstControl;
            builder.control(new ControlUnit(ModelFolder.loadControlNet(unit.model, sd.manager(), sd.dtype()), control,
                    unit.scale, unit.guessMode, unit.start, unit.end));
        }
        // As the reference: the size of the image worked on, else of the control image, else the model's.
        HostTensor sized = init != null ? init : firstControl;
        int defaultWidth = sd.unet().config().sampleSize() * sd.vae().config().downscale();
        int defaultHeight = defaultWidth;
        if (sized != null) {
            defaultWidth = (int) (sized.dim(3) - sized.dim(3) % 8);
            defaultHeight = (int) (sized.dim(2) - sized.dim(2) % 8);
        }
        builder.size(width != null ? width : defaultWidth, height != null ? height : defaultHeight);
        return builder.build();
    }

    /** The unit's control image: its source (default the init image), or that source's Canny edges. */
    private static HostTensor controlImage(ControlNetOptions unit, HostTensor init) throws Exception {
        HostTensor source = unit.image != null ? TensorArgument.image(unit.image) : init;
        if (source == null) {
            throw new IllegalArgumentException("--controlnet " + unit.model + " needs --control-image, or --init-image"
                    + " to take the control from");
        }
        if (unit.canny == null) {
            return source;
        }
        if (unit.canny.length != 2) {
            throw new IllegalArgumentException("--canny takes LOW,HIGH (two thresholds), got " + unit.canny.length
                    + " values");
        }
        return CannyEdges.controlImage(source, unit.canny[0], unit.canny[1]);
    }
}
