package io.fijigen.engine.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.cuda.CudaUtils;
import io.fijigen.engine.model.ModelFamily;
import io.fijigen.engine.model.ModelFolder;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.nn.AddedConditions;
import io.fijigen.engine.nn.ControlNetModel;
import io.fijigen.engine.pipeline.Conditioning;
import io.fijigen.engine.pipeline.ControlUnit;
import io.fijigen.engine.pipeline.GenerationRequest;
import io.fijigen.engine.pipeline.GenerationResult;
import io.fijigen.engine.pipeline.MicroConditioning;
import io.fijigen.engine.pipeline.Pipelines;
import io.fijigen.engine.pipeline.RequestField;
import io.fijigen.engine.pipeline.SdxlPromptEncoder;
import io.fijigen.engine.pipeline.StepListener;
import io.fijigen.engine.pipeline.Upscale;
import io.fijigen.engine.pipeline.UpscaleRequest;
import io.fijigen.engine.runtime.ProcessMemory;
import io.fijigen.engine.tensor.HostTensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Runs a workload through the engine's own pipelines, as a user's job runs, and measures it: the
 * whole pipeline with each step's time, the text encoder and the decoder alone, the operators per
 * step, and memory.
 */
public final class PipelineBench {
    static final String PROMPT = "a photograph of an astronaut riding a horse";
    static final String NEGATIVE = "blurry, low quality";

    /**
     * What to run; {@code width}/{@code height} are the output's (an upscale's input is a quarter of
     * them). {@code countOps} adds the profiled runs (one UNet forward, 2- and 3-step pipelines)
     * that count operators: at large sizes they take longer than the timed runs.
     */
    public record Settings(Workload workload, int width, int height, int steps, int batch, String scheduler,
            int warmup, int repeat, boolean countOps) {}

    private static final OpProfile.Counts NOT_COUNTED = new OpProfile.Counts(-1, -1, -1);

    private final StableDiffusion model;
    private final Path controlNet;
    private final Settings settings;
    private ControlNetModel controlNetModel;
    private long peakDevice = -1;

    private PipelineBench(StableDiffusion model, Path controlNet, Settings settings) {
        this.model = model;
        this.controlNet = controlNet;
        this.settings = settings;
    }

    /**
     * @param controlNet the ControlNet folder for {@link Workload#CONTROLNET}, else null
     * @param workDir where the profiler's traces go
     */
    public static BenchReport run(Path modelDir, Path controlNet, Settings settings, Device device, DataType dtype,
            Path workDir) throws IOException {
        if (settings.workload() == Workload.CONTROLNET && controlNet == null) {
            throw new IllegalArgumentException("the controlnet workload needs a ControlNet (--controlnet DIR)");
        }
        long start = System.nanoTime();
        try (StableDiffusion model = StableDiffusion.load(modelDir, device, dtype)) {
            double load = millisSince(start);
            return new PipelineBench(model, controlNet, settings).measure(modelDir, load, workDir);
        }
    }

    private BenchReport measure(Path modelDir, double loadMillis, Path workDir) throws IOException {
        Files.createDirectories(workDir);
        List<Run> runs = new ArrayList<>();
        for (int i = -settings.warmup(); i < settings.repeat(); i++) {
            Run run = pipeline(settings.steps());
            if (i >= 0) {
                runs.add(run);
            }
        }
        runs.sort((a, b) -> Double.compare(a.total(), b.total()));
        Run median = runs.get(runs.size() / 2);
        double[] steps = median.steps();
        double encode = median(this::encodeOnce);
        double decode = median(this::decodeOnce);
        OpProfile.Counts unet = NOT_COUNTED;
        int stepOps = -1;
        if (settings.countOps()) {
            boolean gpu = model.manager().getDevice().isGpu();
            unet = profileUnet(workDir.resolve("unet-trace.json"), gpu);
            // 3 steps less 2, not 2 less 1: PNDM runs its UNet twice in the first of several steps.
            OpProfile.Counts two = OpProfile.of(() -> pipeline(2), workDir.resolve("pipeline-2-steps-trace.json"), gpu);
            OpProfile.Counts three = OpProfile.of(() -> pipeline(3), workDir.resolve("pipeline-3-steps-trace.json"),
                    gpu);
            stepOps = three.jniOps() - two.jniOps();
        }
        int images = settings.batch();
        return new BenchReport(modelDir.getFileName().toString(), settings.workload().id(),
                model.manager().getDevice().toString(), model.dtype().name().toLowerCase(Locale.ROOT),
                settings.width(), settings.height(), settings.steps(), images, median.scheduler(), runs.size(),
                loadMillis, encode, steps, decode, median.firstStepEnd(), median.total() - median.lastStepEnd(),
                median.total(), images * 1000 / median.total(), unet.jniOps(), unet.allOps(), unet.kernels(),
                stepOps, ProcessMemory.peakResident(), peakDevice);
    }

    /** One timed pipeline call: the end of each step and of the whole, from its start; the scheduler it ran. */
    private record Run(double[] stepEnds, double total, String scheduler) {
        double firstStepEnd() {
            return stepEnds.length == 0 ? 0 : stepEnds[0];
        }

        double lastStepEnd() {
            return stepEnds.length == 0 ? 0 : stepEnds[stepEnds.length - 1];
        }

        double[] steps() {
            double[] steps = new double[stepEnds.length];
            for (int i = 0; i < steps.length; i++) {
                steps[i] = stepEnds[i] - (i == 0 ? 0 : stepEnds[i - 1]);
            }
            // The first includes the set-up before it: it is left out of the per-step figures.
            return Arrays.copyOfRange(steps, Math.min(1, steps.length), steps.length);
        }
    }

    private Run pipeline(int steps) {
        List<Double> ends = new ArrayList<>();
        long start = System.nanoTime();
        StepListener listener = (step, total, latents) -> {
            awaitDevice(latents);
            ends.add(millisSince(start));
            sampleDevice();
            return true;
        };
        GenerationRequest request = request(steps);
        GenerationResult result;
        if (settings.workload() == Workload.UPSCALE) {
            HostTensor image = gradient(settings.width() / latentDivisor(), settings.height() / latentDivisor());
            result = Upscale.generate(model, new UpscaleRequest(request, image, RequestField.NOISE_LEVEL.defaultInt(),
                    UpscaleRequest.DEFAULT_TILING), listener);
        } else {
            result = Pipelines.generate(model, request, listener);
        }
        return new Run(ends.stream().mapToDouble(Double::doubleValue).toArray(), millisSince(start),
                result.schedulerName());
    }

    private GenerationRequest request(int steps) {
        GenerationRequest.Builder builder = GenerationRequest.builder(PROMPT)
                .negativePrompt(NEGATIVE)
                .steps(steps)
                .guidance(7.5)
                .size(settings.width(), settings.height())
                .seed(0)
                .numImages(settings.batch());
        if (settings.scheduler() != null) {
            builder.scheduler(settings.scheduler());
        }
        HostTensor image = gradient(settings.width(), settings.height());
        switch (settings.workload()) {
            case INPAINT -> builder.initImage(image, 1.0).mask(centreMask(settings.width(), settings.height()));
            case CONTROLNET -> builder.control(new ControlUnit(loadControlNet(), image, 1f, false, 0, 1));
            default -> { }
        }
        return builder.build();
    }

    /** Loaded on first use, into the model's manager: every run shares it, as a server's jobs do. */
    private ControlNetModel loadControlNet() {
        if (controlNetModel == null) {
            try {
                controlNetModel = ModelFolder.loadControlNet(controlNet, model.manager(), model.dtype());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return controlNetModel;
    }

    private void encodeOnce(NDManager run) {
        Conditioning prompt = conditioning(run);
        // Reading back waits for a GPU; SDXL's pooled text is made after its text.
        (prompt.added() != null ? prompt.added().textEmbeds() : prompt.text()).toFloatArray();
    }

    /**
     * What a guided step's UNet takes from the prompt: SD's text encoder on a [2·batch, 77] batch;
     * for SDXL the pipelines' own prompt encoding (both encoders, and the pooled text) with the
     * default time ids.
     */
    private Conditioning conditioning(NDManager run) {
        long rows = 2L * settings.batch();
        if (model.family() == ModelFamily.SDXL) {
            SdxlPromptEncoder.Embeddings prompt = SdxlPromptEncoder.of(model).encode(run, PROMPT, NEGATIVE,
                    settings.batch(), true, 1);
            float[] sizes = MicroConditioning.DEFAULT.timeIds(settings.width(), settings.height(), false);
            NDArray timeIds = run.create(sizes, new Shape(1, sizes.length)).repeat(0, rows);
            return new Conditioning(prompt.promptEmbeds(), new AddedConditions(prompt.pooledPromptEmbeds(), timeIds));
        }
        long tokens = model.textEncoder().config().maxPositionEmbeddings();
        NDArray ids = run.zeros(new Shape(rows, tokens), DataType.INT64);
        return new Conditioning(model.textEncoder().encode(ids, 1), null);
    }

    /** As a job decodes: whole, or in tiles for a large image. */
    private void decodeOnce(NDManager run) {
        int side = latentDivisor();
        NDArray latents = run.randomNormal(new Shape(settings.batch(), model.vae().config().latentChannels(),
                settings.height() / side, settings.width() / side));
        model.decoder().decodeToHost(latents, null, () -> {});
    }

    /** Profiles one UNet forward (CFG batch) on inputs made before the profiler starts. */
    private OpProfile.Counts profileUnet(Path trace, boolean gpu) throws IOException {
        try (NDManager run = model.manager().newSubManager()) {
            int side = latentDivisor();
            long batch = 2L * settings.batch();
            Conditioning prompt = conditioning(run);
            NDArray latents = run.randomNormal(new Shape(batch, model.unet().config().inChannels(),
                    settings.height() / side, settings.width() / side)).toType(model.dtype(), false);
            NDArray labels = model.unet().config().numClassEmbeds() != null
                    ? run.full(new Shape(batch), RequestField.NOISE_LEVEL.defaultInt(), DataType.INT64)
                    : null;
            NDArray timestep = run.create(500f);
            return OpProfile.of(() -> model.unet().forward(latents, timestep, prompt.text(), labels, null, prompt.added(),
                    null).toFloatArray(), trace, gpu);
        }
    }

    /**
     * Output pixels per latent pixel along a side: the VAE's downscale, but 4 for the upscaler,
     * whose latents are the low-resolution input's size.
     */
    private int latentDivisor() {
        return settings.workload() == Workload.UPSCALE ? (int) UpscaleRequest.MODEL_FACTOR
                : model.vae().config().downscale();
    }

    /** Median milliseconds of {@code body} over the timed repetitions, after the warm-up ones. */
    private double median(Consumer<NDManager> body) {
        double[] millis = new double[settings.repeat()];
        for (int i = -settings.warmup(); i < settings.repeat(); i++) {
            try (NDManager run = model.manager().newSubManager()) {
                long start = System.nanoTime();
                body.accept(run);
                if (i >= 0) {
                    millis[i] = millisSince(start);
                }
            }
        }
        return median(millis);
    }

    /** The middle value (the upper one of an even count), 0 for none. */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
    }

    /**
     * A GPU runs behind the JNI calls that queue its kernels, so a step has ended only once its
     * latents can be read: reading one value back waits for it. The CPU has finished on return.
     */
    private static void awaitDevice(NDArray latents) {
        if (latents.getDevice().isGpu()) {
            try (NDArray value = latents.get(0, 0, 0, 0)) {
                value.toFloatArray();
            }
        }
    }

    private void sampleDevice() {
        Device device = model.manager().getDevice();
        if (device.isGpu()) {
            peakDevice = Math.max(peakDevice, CudaUtils.getGpuMemory(device).getCommitted());
        }
    }

    /** A smooth RGB test image in [0, 1], [1, 3, H, W]. */
    static HostTensor gradient(int width, int height) {
        float[] data = new float[3 * width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                data[i] = x / (float) width;
                data[width * height + i] = y / (float) height;
                data[2 * width * height + i] = 0.5f;
            }
        }
        return new HostTensor(data, new long[] {1, 3, height, width});
    }

    /** The middle half of the image to repaint, [1, 1, H, W]. */
    static HostTensor centreMask(int width, int height) {
        float[] data = new float[width * height];
        for (int y = height / 4; y < 3 * height / 4; y++) {
            Arrays.fill(data, y * width + width / 4, y * width + 3 * width / 4, 1f);
        }
        return new HostTensor(data, new long[] {1, 1, height, width});
    }


    private static double millisSince(long start) {
        return (System.nanoTime() - start) / 1e6;
    }
}
