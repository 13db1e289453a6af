package io.fijigen.engine.model;

import io.fijigen.engine.config.ConfigFile;
import io.fijigen.engine.config.ControlNetConfig;
import io.fijigen.engine.config.ModelIndex;
import io.fijigen.engine.weights.EmbeddingFile;
import io.fijigen.engine.weights.LoraFile;
import io.fijigen.engine.weights.SafetensorsFile;
import io.fijigen.engine.weights.ldm.LdmLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a model path holds, for {@code fijigen models}: a diffusers pipeline folder (one summary
 * per component with weights, the others named), a single component folder (a ControlNet, say),
 * a safety checker folder, a single-file checkpoint in the LDM layout (its networks under their
 * diffusers names, its configs inferred and so checked), or another safetensors file (a LoRA).
 *
 * @param kind "pipeline", "component", "safety checker", "single file", "LoRA", "textual inversion" or "file"
 * @param className the pipeline's or component's class, empty for a bare file
 * @param family a pipeline's, a ControlNet's, or a LoRA's whose keys tell it; empty for other models
 * @param nativeSize a pipeline's side when a request gives none ({@link PipelineConfigs#nativeSize})
 * @param components the components with weights
 * @param others components without weights (scheduler, tokenizer, ...): name → class
 */
public record ModelSummary(Path path, String kind, String className, Optional<FamilyId> family,
        OptionalInt nativeSize, List<ComponentSummary> components, Map<String, String> others) {

    private static final String SAFETY_CHECKER_CLASS = "StableDiffusionSafetyChecker";
    private static final String CONTROLNET_CLASS = "ControlNetModel";
    private static final Map<String, String> CHECKPOINT_CLASSES = Map.of("text_encoder", "CLIPTextModel",
            "text_encoder_2", "CLIPTextModelWithProjection", "unet", "UNet2DConditionModel", "vae", "AutoencoderKL",
            "controlnet", CONTROLNET_CLASS);

    public static ModelSummary of(Path path) throws IOException {
        if (SingleFileCheckpoint.isSingleFile(path)) {
            if (SingleFileCheckpoint.isLdmCheckpoint(path)) {
                return ofCheckpoint(SingleFileCheckpoint.open(path, Optional.empty()));
            }
            ComponentSummary file = ComponentSummary.ofFiles(path.getFileName().toString(), "", List.of(path));
            Map<String, long[]> shapes = new LinkedHashMap<>();
            try (SafetensorsFile weights = SafetensorsFile.open(path)) {
                weights.names().forEach(name -> shapes.put(name, weights.info(name).shape()));
            }
            if (LoraFile.looksLikeLora(shapes.keySet())) {
                return ofLora(path, file);
            }
            if (looksLikeEmbedding(shapes)) {
                return ofEmbedding(path, file);
            }
            return new ModelSummary(path, "file", "", Optional.empty(), OptionalInt.empty(), List.of(file), Map.of());
        }
        if (!Files.isDirectory(path)) {
            throw new NoSuchFileException(path.toString(), null, "not a model folder or .safetensors file");
        }
        if (Files.isRegularFile(path.resolve(ModelFolder.MODEL_INDEX))) {
            return ofPipeline(path, ModelIndex.read(path.resolve(ModelFolder.MODEL_INDEX)));
        }
        if (Files.isDirectory(path.resolve(ModelFolder.SAFETY_CHECKER))) {
            return ofSafetyChecker(path);
        }
        Path config = path.resolve("config.json");
        if (Files.isRegularFile(config)) {
            String className = ConfigFile.read(config).string("_class_name", "");
            ComponentSummary component = ComponentSummary.ofFolder(path.getFileName().toString(), className, path);
            Optional<FamilyId> family = className.equals(CONTROLNET_CLASS)
                    ? Optional.of(FamilyId.of(ControlNetConfig.read(config))) : Optional.empty();
            return new ModelSummary(path, "component", className, family, OptionalInt.empty(), List.of(component),
                    Map.of());
        }
        throw new NoSuchFileException(path.toString(), null,
                "neither a diffusers folder (model_index.json), a component folder (config.json) nor a safety"
                        + " checker folder (safety_checker/)");
    }

    /**
     * The safety checker of a {@link ModelFolder#safetyCheckerFolder safety checker folder}, which
     * may be a whole Stable Diffusion 1.x folder: only its checker counts.
     */
    public static ModelSummary ofSafetyChecker(Path path) throws IOException {
        ModelFolder.safetyCheckerFolder(path);
        ComponentSummary checker = ComponentSummary.ofFolder(ModelFolder.SAFETY_CHECKER, SAFETY_CHECKER_CLASS,
                path.resolve(ModelFolder.SAFETY_CHECKER));
        return new ModelSummary(path, "safety checker", SAFETY_CHECKER_CLASS, Optional.empty(), OptionalInt.empty(),
                List.of(checker), Map.of(ModelFolder.FEATURE_EXTRACTOR, "CLIPImageProcessor"));
    }

    /**
     * A single-file checkpoint's networks under their diffusers names, each config inferred (so a
     * checkpoint whose config cannot be is reported here, not at load time).
     */
    private static ModelSummary ofCheckpoint(SingleFileCheckpoint checkpoint) throws IOException {
        List<ComponentSummary> components = new ArrayList<>();
        checkpoint.checkedComponents().forEach((name, views) -> components.add(ComponentSummary.ofViews(
                name, CHECKPOINT_CLASSES.get(name), checkpoint.file(), views.values())));
        if (checkpoint.layout() == LdmLayout.CONTROLNET) {
            return new ModelSummary(checkpoint.file(), "single file", CONTROLNET_CLASS,
                    Optional.of(FamilyId.of(checkpoint.controlNetConfig())), OptionalInt.empty(), components, Map.of());
        }
        Map<String, String> others = new LinkedHashMap<>();
        others.put("scheduler", checkpoint.scheduler().className() + " ("
                + checkpoint.scheduler().predictionType() + ")");
        others.put("tokenizer", "CLIPTokenizer from " + checkpoint.tokenizerFolder());
        boolean sdxl = checkpoint.layout() == LdmLayout.STABLE_DIFFUSION_XL;
        if (sdxl) {
            others.put("tokenizer_2", "CLIPTokenizer from " + checkpoint.tokenizer2Folder());
        }
        PipelineConfigs configs = PipelineConfigs.read(checkpoint.file(), Optional.empty());
        return new ModelSummary(checkpoint.file(), "single file", (sdxl ? "StableDiffusionXLPipeline"
                : "StableDiffusionPipeline") + " (" + checkpoint.layout().description() + ")",
                Optional.of(FamilyId.of(configs)), nativeSize(configs), components, others);
    }

    /** A LoRA's layers per network, opened as the engine opens it to merge, so a broken one says why here. */
    private static ModelSummary ofLora(Path path, ComponentSummary file) throws IOException {
        try (LoraFile lora = LoraFile.open(path)) {
            Map<String, String> others = new LinkedHashMap<>();
            others.put("style", lora.layers().get(0).kohya() ? "kohya" : "diffusers/PEFT");
            for (LoraFile.Network network : LoraFile.Network.values()) {
                List<LoraFile.Layer> layers = lora.layers().stream().filter(l -> l.network() == network).toList();
                if (!layers.isEmpty()) {
                    long convolutions = layers.stream().filter(lora::isConvolution).count();
                    Set<Long> ranks = new TreeSet<>();
                    layers.forEach(layer -> ranks.add(lora.rank(layer)));
                    others.put(network.component(), layers.size() + " layers"
                            + (convolutions > 0 ? " (" + convolutions + " LoCon convolutions)" : "") + ", rank "
                            + ranks.stream().map(String::valueOf).collect(Collectors.joining("/")));
                }
            }
            return new ModelSummary(path, "LoRA", "", lora.family().map(FamilyId::of), OptionalInt.empty(),
                    List.of(file), others);
        }
    }

    /** Textual inversion: every tensor one token's vector(s), [hidden] or [n, hidden]; few of them. */
    private static boolean looksLikeEmbedding(Map<String, long[]> shapes) {
        return shapes.containsKey("emb_params")
                || shapes.size() <= 16 && shapes.values().stream().allMatch(shape -> shape.length <= 2);
    }

    private static ModelSummary ofEmbedding(Path path, ComponentSummary file) throws IOException {
        Map<String, String> tokens = new LinkedHashMap<>();
        EmbeddingFile.shapes(path).forEach((token, shape) -> tokens.put(token,
                shape[0] + (shape[0] == 1 ? " vector" : " vectors") + " of " + shape[1]));
        return new ModelSummary(path, "textual inversion", "", Optional.empty(), OptionalInt.empty(), List.of(file),
                tokens);
    }

    private static ModelSummary ofPipeline(Path root, ModelIndex index) throws IOException {
        List<ComponentSummary> withWeights = new ArrayList<>();
        Map<String, String> others = new LinkedHashMap<>();
        for (Map.Entry<String, ModelIndex.Component> entry : index.components().entrySet()) {
            String name = entry.getKey();
            String className = entry.getValue().className();
            Path dir = root.resolve(name);
            if (!Files.isDirectory(dir)) {
                throw new NoSuchFileException(dir.toString(), null,
                        "model_index.json lists '" + name + "' but its folder is missing");
            }
            if (holdsWeights(dir)) {
                withWeights.add(ComponentSummary.ofFolder(name, className, dir));
            } else {
                others.put(name, className);
            }
        }
        PipelineConfigs configs = PipelineConfigs.read(root, Optional.empty());
        return new ModelSummary(root, "pipeline", index.pipelineClass(), Optional.of(FamilyId.of(configs)),
                nativeSize(configs), withWeights, others);
    }

    /** The x4 upscaler draws 4× its input whatever its UNet's sample size: it has no size of its own. */
    private static OptionalInt nativeSize(PipelineConfigs configs) {
        return FamilyId.of(configs) == FamilyId.X4_UPSCALER ? OptionalInt.empty()
                : OptionalInt.of(configs.nativeSize());
    }

    private static boolean holdsWeights(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".safetensors"));
        }
    }

    public long parameters() {
        return components.stream().mapToLong(ComponentSummary::parameters).sum();
    }
}
