package io.fijigen.engine.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.config.AutoencoderKLConfig;
import io.fijigen.engine.config.ClipTextConfig;
import io.fijigen.engine.config.ControlNetConfig;
import io.fijigen.engine.config.SchedulerConfig;
import io.fijigen.engine.config.UNet2DConditionConfig;
import io.fijigen.engine.nn.AutoencoderKL;
import io.fijigen.engine.nn.CLIPTextModel;
import io.fijigen.engine.nn.CLIPTextModelWithProjection;
import io.fijigen.engine.nn.ControlNetModel;
import io.fijigen.engine.nn.UNet2DConditionModel;
import io.fijigen.engine.weights.SafetensorsFile;
import io.fijigen.engine.weights.StateDict;
import io.fijigen.engine.weights.TensorInfo;
import io.fijigen.engine.weights.TensorView;
import io.fijigen.engine.weights.ldm.ClipKeyMap;
import io.fijigen.engine.weights.ldm.ComponentTensors;
import io.fijigen.engine.weights.ldm.ControlNetKeyMap;
import io.fijigen.engine.weights.ldm.LdmConfigInference;
import io.fijigen.engine.weights.ldm.LdmLayout;
import io.fijigen.engine.weights.ldm.LdmYaml;
import io.fijigen.engine.weights.ldm.OpenClipKeyMap;
import io.fijigen.engine.weights.ldm.UNetKeyMap;
import io.fijigen.engine.weights.ldm.VaeKeyMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A single-file checkpoint in the original LDM layout ({@code .safetensors}, as most community SD
 * 1.x/2.x models are published) or SDXL's SGM layout: each network is a renamed view of the file's
 * tensors, its config inferred from their shapes and the sidecar {@code .yaml}. Networks are named
 * as a diffusers folder's components: {@code unet}, {@code vae}, {@code text_encoder}, SDXL's
 * {@code text_encoder_2}, or {@code controlnet}.
 *
 * <p>The file holds no tokenizer; it is read from a {@code <name>.tokenizer/} or {@code tokenizer/}
 * folder beside the file (the {@code tokenizer/} of the matching diffusers model: SD 1.x and 2.x
 * differ in their pad token), and SDXL's second from {@code <name>.tokenizer_2/} or
 * {@code tokenizer_2/}.
 */
public final class SingleFileCheckpoint {
    public static final String EXTENSION = ".safetensors";
    public static final String UNET = "unet";
    public static final String VAE = "vae";
    public static final String TEXT_ENCODER = "text_encoder";
    public static final String TEXT_ENCODER_2 = "text_encoder_2";
    public static final String CONTROLNET = "controlnet";

    private final Path file;
    private final LdmLayout layout;
    private final List<TensorInfo> tensors;
    private final LdmConfigInference configs;

    private SingleFileCheckpoint(Path file, LdmLayout layout, List<TensorInfo> tensors, LdmConfigInference configs) {
        this.file = file;
        this.layout = layout;
        this.tensors = tensors;
        this.configs = configs;
    }

    public static boolean isSingleFile(Path path) {
        return Files.isRegularFile(path) && path.getFileName().toString().endsWith(EXTENSION);
    }

    /** Whether the file's keys are an LDM checkpoint's (a LoRA's, say, are not). */
    public static boolean isLdmCheckpoint(Path file) throws IOException {
        return LdmLayout.of(header(file)).isPresent();
    }

    /**
     * Reads the header and the sidecar yaml; loads nothing.
     *
     * @param predictionType "epsilon" or "v_prediction" to override the yaml and the default
     */
    public static SingleFileCheckpoint open(Path file, Optional<String> predictionType) throws IOException {
        predictionType.filter(p -> !p.equals("epsilon") && !p.equals("v_prediction")).ifPresent(p -> {
            throw new IllegalArgumentException("prediction type '" + p + "' is not epsilon or v_prediction");
        });
        List<TensorInfo> tensors = header(file);
        LdmLayout layout = LdmLayout.detect(file, tensors);
        LdmConfigInference configs = new LdmConfigInference(file.getFileName().toString(), layout,
                LdmYaml.besides(file), predictionType);
        return new SingleFileCheckpoint(file, layout, tensors, configs);
    }

    public Path file() {
        return file;
    }

    public LdmLayout layout() {
        return layout;
    }

    /** SDXL for the SGM layout, SD for SD 1.x/2.x's; a ControlNet is no pipeline model. */
    public ModelFamily family() {
        requirePipeline();
        return layout == LdmLayout.STABLE_DIFFUSION_XL ? ModelFamily.SDXL : ModelFamily.SD;
    }

    /** The tokenizer folder beside the file: {@code <name>.tokenizer/}, else {@code tokenizer/}. */
    public Path tokenizerFolder() throws IOException {
        return folderBeside("tokenizer");
    }

    /**
     * SDXL's second tokenizer folder (OpenCLIP's tokenizer pads with "!"): {@code <name>.tokenizer_2/},
     * else {@code tokenizer_2/}.
     */
    public Path tokenizer2Folder() throws IOException {
        requireSdxl();
        return folderBeside("tokenizer_2");
    }

    private Path folderBeside(String component) throws IOException {
        String name = file.getFileName().toString();
        Path own = file.resolveSibling(name.substring(0, name.length() - EXTENSION.length()) + "." + component);
        Path shared = file.resolveSibling(component);
        for (Path candidate : List.of(own, shared)) {
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new NoSuchFileException(own.toString(), null, "a single-file checkpoint holds no tokenizer: put the "
                + component + "/ folder of a " + layout.description() + " diffusers model beside the file, as "
                + own.getFileName() + "/ or " + component + "/");
    }

    public SchedulerConfig scheduler() {
        requirePipeline();
        return SchedulerConfig.from(configs.scheduler());
    }

    public UNet2DConditionModel unet(NDManager manager, DataType floatType) throws IOException {
        UNet2DConditionConfig config = unetConfig();
        try (StateDict weights = weights(UNET, manager, floatType)) {
            return new UNet2DConditionModel(config, weights);
        }
    }

    public AutoencoderKL vae(NDManager manager, DataType floatType) throws IOException {
        AutoencoderKLConfig config = vaeConfig();
        try (StateDict weights = weights(VAE, manager, floatType)) {
            return new AutoencoderKL(config, weights);
        }
    }

    /** The text encoder; SDXL's first (CLIP ViT-L). */
    public CLIPTextModel textEncoder(NDManager manager, DataType floatType) throws IOException {
        ClipTextConfig config = textEncoderConfig();
        try (StateDict weights = weights(TEXT_ENCODER, manager, floatType)) {
            return new CLIPTextModel(config, weights);
        }
    }

    /** SDXL's second text encoder (OpenCLIP ViT-bigG, with its text projection). */
    public CLIPTextModelWithProjection textEncoder2(NDManager manager, DataType floatType) throws IOException {
        ClipTextConfig config = textEncoder2Config();
        try (StateDict weights = weights(TEXT_ENCODER_2, manager, floatType)) {
            return new CLIPTextModelWithProjection(config, weights);
        }
    }

    public ControlNetModel controlNet(NDManager manager, DataType floatType) throws IOException {
        ControlNetConfig config = controlNetConfig();
        try (StateDict weights = weights(CONTROLNET, manager, floatType)) {
            return new ControlNetModel(config, weights);
        }
    }

    /**
     * The weights of one network (a component name of {@link SingleFileCheckpoint}) under its
     * diffusers keys, as {@link StateDict#openComponent} gives a folder's: what a network is built
     * from. The caller closes it (the loaded tensors stay valid).
     *
     * @throws IllegalArgumentException when the checkpoint has no such network
     */
    public StateDict weights(String component, NDManager manager, DataType floatType) throws IOException {
        return StateDict.openViews(file, views(component), manager, floatType);
    }

    /**
     * What {@code fijigen models} shows: each network's tensors under their diffusers keys, by
     * component name, after checking that every config (and the scheduler's) can be inferred.
     */
    public Map<String, Map<String, TensorView>> checkedComponents() {
        Map<String, Map<String, TensorView>> components = new LinkedHashMap<>();
        if (layout == LdmLayout.CONTROLNET) {
            controlNetConfig();
            components.put(CONTROLNET, views(CONTROLNET));
            return components;
        }
        textEncoderConfig();
        if (layout == LdmLayout.STABLE_DIFFUSION_XL) {
            textEncoder2Config();
        }
        unetConfig();
        vaeConfig();
        scheduler();
        components.put(TEXT_ENCODER, views(TEXT_ENCODER));
        if (layout == LdmLayout.STABLE_DIFFUSION_XL) {
            components.put(TEXT_ENCODER_2, views(TEXT_ENCODER_2));
        }
        components.put(UNET, views(UNET));
        components.put(VAE, views(VAE));
        return components;
    }

    /** The UNet's config, inferred from the tensors' shapes and the sidecar yaml; loads nothing. */
    public UNet2DConditionConfig unetConfig() {
        requirePipeline();
        return UNet2DConditionConfig.from(configs.unet(component(LdmLayout.UNET_PREFIX)));
    }

    /** The VAE's config, inferred as {@link #unetConfig()}. */
    public AutoencoderKLConfig vaeConfig() {
        requirePipeline();
        return AutoencoderKLConfig.from(configs.vae(component(LdmLayout.VAE_PREFIX)));
    }

    /** The text encoder's config (SDXL's first), inferred as {@link #unetConfig()}. */
    public ClipTextConfig textEncoderConfig() {
        return ClipTextConfig.from(configs.textEncoder(mapped(TEXT_ENCODER)));
    }

    /** SDXL's second text encoder's config (a CLIPTextModelWithProjection's), inferred as {@link #unetConfig()}. */
    public ClipTextConfig textEncoder2Config() {
        return ClipTextConfig.from(configs.textEncoder2(mapped(TEXT_ENCODER_2)));
    }

    /** A network's tensors under their diffusers keys, as the config inference reads them. */
    private ComponentTensors mapped(String component) {
        return ComponentTensors.under(views(component).values().stream().map(TensorView::info).toList(), "");
    }

    /** A ControlNet checkpoint's config, inferred as {@link #unetConfig()}. */
    public ControlNetConfig controlNetConfig() {
        requireControlNet();
        return ControlNetConfig.from(configs.controlNet(controlNetTensors()));
    }

    /** A network's tensors under their diffusers (or transformers) keys. */
    private Map<String, TensorView> views(String component) {
        if (component.equals(CONTROLNET)) {
            requireControlNet();
            return ControlNetKeyMap.map(controlNetTensors());
        }
        requirePipeline();
        boolean sdxl = layout == LdmLayout.STABLE_DIFFUSION_XL;
        return switch (component) {
            case UNET -> UNetKeyMap.map(component(LdmLayout.UNET_PREFIX));
            case VAE -> VaeKeyMap.map(component(LdmLayout.VAE_PREFIX));
            case TEXT_ENCODER -> sdxl ? ClipKeyMap.mapSdxl(component(ClipKeyMap.SDXL_PREFIX))
                    : layout == LdmLayout.STABLE_DIFFUSION_2 ? OpenClipKeyMap.map(component(OpenClipKeyMap.PREFIX))
                    : ClipKeyMap.map(component(ClipKeyMap.PREFIX));
            case TEXT_ENCODER_2 -> {
                requireSdxl();
                yield OpenClipKeyMap.mapWithProjection(component(OpenClipKeyMap.SDXL_PREFIX));
            }
            default -> throw new IllegalArgumentException("no network '" + component + "' in a single-file checkpoint"
                    + " (unet, vae, text_encoder, text_encoder_2 or controlnet)");
        };
    }

    private ComponentTensors component(String prefix) {
        return ComponentTensors.under(tensors, prefix);
    }

    private ComponentTensors controlNetTensors() {
        return component(LdmLayout.controlNetPrefix(tensors));
    }

    private void requireControlNet() {
        if (layout != LdmLayout.CONTROLNET) {
            throw new IllegalArgumentException(file + " is a Stable Diffusion checkpoint, not a ControlNet");
        }
    }

    private void requireSdxl() {
        if (layout != LdmLayout.STABLE_DIFFUSION_XL) {
            throw new IllegalArgumentException(file + " is a " + layout.description() + " checkpoint, which has no"
                    + " second text encoder or tokenizer (only SDXL has)");
        }
    }

    private void requirePipeline() {
        if (layout == LdmLayout.CONTROLNET) {
            throw new IllegalArgumentException(file + " is a ControlNet checkpoint; give it as a ControlNet,"
                    + " not as the model");
        }
    }

    private static List<TensorInfo> header(Path file) throws IOException {
        try (SafetensorsFile opened = SafetensorsFile.open(file)) {
            return opened.names().stream().map(opened::info).toList();
        }
    }
}
