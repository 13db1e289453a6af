package io.fijigen.engine.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.config.ModelIndex;
import io.fijigen.engine.config.SchedulerConfig;
import io.fijigen.engine.nn.AutoencoderKL;
import io.fijigen.engine.nn.CLIPTextModel;
import io.fijigen.engine.nn.CLIPTextModelWithProjection;
import io.fijigen.engine.nn.UNet2DConditionModel;
import io.fijigen.engine.runtime.TorchRuntime;
import io.fijigen.engine.text.ClipTokenizer;
import io.fijigen.engine.weights.MergedLoras;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A Stable Diffusion model loaded for generation: tokenizer, text encoder (SDXL: and the second
 * tokenizer and text encoder), UNet, VAE and the model's own scheduler config (and the x4
 * upscaler's low-res scheduler), with their weights in one manager on one device.
 */
public final class StableDiffusion implements AutoCloseable {
    private static final String LOW_RES_SCHEDULER = "low_res_scheduler";

    private final String name;
    private final NDManager manager;
    private final DataType dtype;
    private final ModelFamily family;
    private final ClipTokenizer tokenizer;
    private final CLIPTextModel textEncoder;
    private final ClipTokenizer tokenizer2;
    private final CLIPTextModelWithProjection textEncoder2;
    private final UNet2DConditionModel unet;
    private final AutoencoderKL vae;
    private final VaeDecoder decoder;
    private final VaeEncoder encoder;
    private final SchedulerConfig schedulerConfig;
    private final ModelIndex index;
    private final SchedulerConfig lowResScheduler;
    private final MergedLoras loras;

    /** {@code tokenizer2} and {@code textEncoder2} are null for {@link ModelFamily#SD}. */
    private StableDiffusion(String name, NDManager manager, DataType dtype, ModelFamily family, ClipTokenizer tokenizer,
            CLIPTextModel textEncoder, ClipTokenizer tokenizer2, CLIPTextModelWithProjection textEncoder2,
            UNet2DConditionModel unet, AutoencoderKL vae, SchedulerConfig schedulerConfig,
            Float32Vae.Source vaeSource, ModelIndex index, SchedulerConfig lowResScheduler) {
        this.name = name;
        this.manager = manager;
        this.dtype = dtype;
        this.family = family;
        this.tokenizer = tokenizer;
        this.textEncoder = textEncoder;
        this.tokenizer2 = tokenizer2;
        this.textEncoder2 = textEncoder2;
        this.unet = unet;
        this.vae = vae;
        // Only SDXL's pipelines honour force_upcast; SD 1.x/2.x VAE configs say true too, and their
        // pipelines encode and decode in the model's type.
        boolean forceUpcast = family == ModelFamily.SDXL && vae.config().forceUpcast();
        Float32Vae fullPrecision = new Float32Vae(manager, vaeSource);
        this.decoder = new VaeDecoder(vae, dtype, fullPrecision, forceUpcast);
        this.encoder = new VaeEncoder(vae, dtype, fullPrecision, forceUpcast);
        this.schedulerConfig = schedulerConfig;
        this.index = index;
        this.lowResScheduler = lowResScheduler;
        this.loras = new MergedLoras(unet.parameters(), textEncoder.parameters(),
                textEncoder2 == null ? Map.of() : textEncoder2.parameters());
    }

    /** Loads a diffusers folder onto {@code device}, floats as {@code dtype} (FLOAT32, or FLOAT16 on a GPU). */
    public static StableDiffusion load(Path dir, Device device, DataType dtype) throws IOException {
        return load(dir, device, dtype, Optional.empty());
    }

    /**
     * Loads a diffusers folder or a single-file checkpoint ({@code .safetensors} in the LDM layout,
     * or SDXL's SGM layout, which loads as an SDXL folder does);
     * {@code predictionType} ("epsilon" or "v_prediction") overrides a single file's sidecar yaml
     * and default, and must be empty for a folder, whose scheduler config says it.
     */
    public static StableDiffusion load(Path dir, Device device, DataType dtype, Optional<String> predictionType)
            throws IOException {
        TorchRuntime.engine();
        if (SingleFileCheckpoint.isSingleFile(dir)) {
            return loadSingleFile(SingleFileCheckpoint.open(dir, predictionType), device, dtype);
        }
        if (predictionType.isPresent()) {
            throw new IllegalArgumentException("a prediction type is for single-file checkpoints; " + dir
                    + " is a diffusers folder, whose scheduler/scheduler_config.json sets prediction_type");
        }
        return load(dir, dir.getFileName().toString(), device, dtype);
    }

    /**
     * Loads a diffusers folder under another name than the folder's, as a hub snapshot (named by its
     * commit) takes its repo id. An SDXL folder ({@link ModelFamily#of}) loads its second tokenizer
     * and text encoder too.
     *
     * @throws java.nio.file.NoSuchFileException naming the component folders the family needs and
     *     the folder lacks, before any weights load
     */
    public static StableDiffusion load(Path dir, String name, Device device, DataType dtype) throws IOException {
        TorchRuntime.engine();
        ModelFolder folder = ModelFolder.open(dir);
        folder.checkComponents();
        ModelFamily family = folder.family();
        boolean xl = family == ModelFamily.SDXL;
        ClipTokenizer tokenizer = ClipTokenizer.load(folder.component("tokenizer"));
        ClipTokenizer tokenizer2 = xl ? ClipTokenizer.load(folder.component("tokenizer_2")) : null;
        SchedulerConfig scheduler = SchedulerConfig.read(folder.component("scheduler").resolve("scheduler_config.json"));
        SchedulerConfig lowRes = folder.index().components().containsKey(LOW_RES_SCHEDULER)
                ? SchedulerConfig.read(folder.component(LOW_RES_SCHEDULER).resolve("scheduler_config.json"))
                : null;
        NDManager manager = NDManager.newBaseManager(device);
        try {
            return new StableDiffusion(name, manager, dtype, family, tokenizer, folder.textEncoder(manager, dtype),
                    tokenizer2, xl ? folder.textEncoder2(manager, dtype) : null, folder.unet(manager, dtype),
                    folder.vae(manager, dtype), scheduler, folder::vae, folder.index(), lowRes);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * A single file has no model_index.json: {@link #index()} is null, and an SDXL one takes the SDXL
     * pipelines' defaults (see {@code SdxlPromptEncoder.of}).
     */
    private static StableDiffusion loadSingleFile(SingleFileCheckpoint checkpoint, Device device, DataType dtype)
            throws IOException {
        ModelFamily family = checkpoint.family();
        boolean xl = family == ModelFamily.SDXL;
        ClipTokenizer tokenizer = ClipTokenizer.load(checkpoint.tokenizerFolder());
        ClipTokenizer tokenizer2 = xl ? ClipTokenizer.load(checkpoint.tokenizer2Folder()) : null;
        SchedulerConfig scheduler = checkpoint.scheduler();
        NDManager manager = NDManager.newBaseManager(device);
        try {
            return new StableDiffusion(checkpoint.file().getFileName().toString(), manager, dtype, family, tokenizer,
                    checkpoint.textEncoder(manager, dtype), tokenizer2,
                    xl ? checkpoint.textEncoder2(manager, dtype) : null, checkpoint.unet(manager, dtype),
                    checkpoint.vae(manager, dtype), scheduler, checkpoint::vae, null, null);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The folder's or checkpoint file's name, as the PNG parameters report it ("Model: …"). */
    public String name() {
        return name;
    }

    public NDManager manager() {
        return manager;
    }

    public DataType dtype() {
        return dtype;
    }

    public ModelFamily family() {
        return family;
    }

    public ClipTokenizer tokenizer() {
        return tokenizer;
    }

    public CLIPTextModel textEncoder() {
        return textEncoder;
    }

    /** SDXL's {@code tokenizer_2} (pads with "!"); null for {@link ModelFamily#SD}. */
    public ClipTokenizer tokenizer2() {
        return tokenizer2;
    }

    /** SDXL's {@code text_encoder_2}; null for {@link ModelFamily#SD}. */
    public CLIPTextModelWithProjection textEncoder2() {
        return textEncoder2;
    }

    public UNet2DConditionModel unet() {
        return unet;
    }

    public AutoencoderKL vae() {
        return vae;
    }

    /** The VAE's decode as pipelines use it: an fp16 decode that overflows is redone in float32. */
    public VaeDecoder decoder() {
        return decoder;
    }

    /**
     * The VAE's encode as pipelines use it (img2img and inpainting images): with SDXL's {@code
     * force_upcast} an fp16 model's in float32.
     */
    public VaeEncoder encoder() {
        return encoder;
    }

    /** The largest clip_skip a request may ask of this model ({@link ModelFamily#maxClipSkip}). */
    public int maxClipSkip() {
        return family.maxClipSkip(textEncoder.config(), textEncoder2 == null ? null : textEncoder2.config());
    }

    public SchedulerConfig schedulerConfig() {
        return schedulerConfig;
    }

    /** The folder's model_index.json; null for a single-file checkpoint, which has none. */
    public ModelIndex index() {
        return index;
    }

    /** The x4 upscaler's scheduler for noising the low-res image; null for other pipelines. */
    public SchedulerConfig lowResScheduler() {
        return lowResScheduler;
    }

    /** The LoRAs merged into the UNet and text encoder(s) now; each job sets its own. */
    public MergedLoras loras() {
        return loras;
    }

    @Override
    public void close() {
        manager.close();
    }
}
