package io.fijigen.engine.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.config.AutoencoderKLConfig;
import io.fijigen.engine.config.ClipImageProcessorConfig;
import io.fijigen.engine.config.ClipTextConfig;
import io.fijigen.engine.config.ControlNetConfig;
import io.fijigen.engine.config.ModelIndex;
import io.fijigen.engine.config.SafetyCheckerConfig;
import io.fijigen.engine.config.UNet2DConditionConfig;
import io.fijigen.engine.image.ClipImageProcessor;
import io.fijigen.engine.nn.AutoencoderKL;
import io.fijigen.engine.nn.CLIPTextModel;
import io.fijigen.engine.nn.CLIPTextModelWithProjection;
import io.fijigen.engine.nn.ControlNetModel;
import io.fijigen.engine.nn.StableDiffusionSafetyChecker;
import io.fijigen.engine.nn.UNet2DConditionModel;
import io.fijigen.engine.weights.StateDict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A diffusers model folder ({@code model_index.json} with one subfolder per component, as a Hugging
 * Face download lays it out) and the loading of its networks. Every network is built from its
 * folder's {@code config.json} and safetensors weights, into the given manager.
 */
public final class ModelFolder {
    public static final String MODEL_INDEX = "model_index.json";
    public static final String SAFETY_CHECKER = "safety_checker";
    public static final String FEATURE_EXTRACTOR = "feature_extractor";

    private final Path root;
    private final ModelIndex index;

    private ModelFolder(Path root, ModelIndex index) {
        this.root = root;
        this.index = index;
    }

    public static ModelFolder open(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(root.toString(), null, "model folder not found");
        }
        Path indexFile = root.resolve(MODEL_INDEX);
        if (!Files.isRegularFile(indexFile)) {
            throw new NoSuchFileException(indexFile.toString(), null,
                    "not a diffusers pipeline folder (no " + MODEL_INDEX + ")");
        }
        return new ModelFolder(root, ModelIndex.read(indexFile));
    }

    public Path root() {
        return root;
    }

    public ModelIndex index() {
        return index;
    }

    /** What the model_index.json says the pipeline is. */
    public ModelFamily family() {
        return ModelFamily.of(index);
    }

    /**
     * Checks, before any weights load, that every component folder the family needs is there.
     *
     * @throws NoSuchFileException naming the missing components
     */
    public void checkComponents() throws IOException {
        ModelFamily family = family();
        List<String> missing = family.components().stream()
                .filter(name -> !Files.isDirectory(root.resolve(name)))
                .toList();
        if (!missing.isEmpty()) {
            String pipeline = index.pipelineClass().isEmpty() ? family.name() : index.pipelineClass();
            throw new NoSuchFileException(root.toString(), null, "a " + pipeline + " folder needs "
                    + String.join(", ", family.components()) + "; no " + String.join(", ", missing)
                    + (missing.size() == 1 ? " folder" : " folders"));
        }
    }

    /** The subfolder of a component the index lists, checked to exist. */
    public Path component(String name) throws IOException {
        Path dir = root.resolve(name);
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "component folder '" + name + "' is missing");
        }
        return dir;
    }

    public CLIPTextModel textEncoder(NDManager manager, DataType floatType) throws IOException {
        Path dir = component("text_encoder");
        ClipTextConfig config = ClipTextConfig.read(dir.resolve("config.json"));
        try (StateDict weights = StateDict.openComponent(dir, manager, floatType)) {
            return new CLIPTextModel(config, weights);
        }
    }

    /** SDXL's second text encoder, {@code text_encoder_2/}. */
    public CLIPTextModelWithProjection textEncoder2(NDManager manager, DataType floatType) throws IOException {
        Path dir = component("text_encoder_2");
        ClipTextConfig config = ClipTextConfig.read(dir.resolve("config.json"));
        try (StateDict weights = StateDict.openComponent(dir, manager, floatType)) {
            return new CLIPTextModelWithProjection(config, weights);
        }
    }

    public UNet2DConditionModel unet(NDManager manager, DataType floatType) throws IOException {
        return loadUNet(component("unet"), manager, floatType);
    }

    public AutoencoderKL vae(NDManager manager, DataType floatType) throws IOException {
        Path dir = component("vae");
        AutoencoderKLConfig config = AutoencoderKLConfig.read(dir.resolve("config.json"));
        try (StateDict weights = StateDict.openComponent(dir, manager, floatType)) {
            return new AutoencoderKL(config, weights);
        }
    }

    /**
     * A ControlNet from its folder ({@code config.json} and weights, as published) or from a single
     * {@code .safetensors} file in the LDM layout ({@code control_model.*}).
     */
    public static ControlNetModel loadControlNet(Path dir, NDManager manager, DataType floatType) throws IOException {
        if (SingleFileCheckpoint.isSingleFile(dir)) {
            return SingleFileCheckpoint.open(dir, Optional.empty()).controlNet(manager, floatType);
        }
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "ControlNet folder not found");
        }
        ControlNetConfig config = ControlNetConfig.read(dir.resolve("config.json"));
        try (StateDict weights = StateDict.openComponent(dir, manager, floatType)) {
            return new ControlNetModel(config, weights);
        }
    }

    /**
     * A safety checker folder: {@code safety_checker/} (diffusers' StableDiffusionSafetyChecker) and
     * {@code feature_extractor/} (its CLIP image processor), as a Stable Diffusion 1.x folder holds
     * them next to its other components; such a folder serves as one.
     *
     * @throws NoSuchFileException naming the folder, or the component that is missing
     */
    public static Path safetyCheckerFolder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "safety checker folder not found");
        }
        for (String component : new String[] {SAFETY_CHECKER, FEATURE_EXTRACTOR}) {
            if (!Files.isDirectory(dir.resolve(component))) {
                throw new NoSuchFileException(dir.toString(), null, "not a safety checker folder: no " + component
                        + "/ (expected " + SAFETY_CHECKER + "/ and " + FEATURE_EXTRACTOR
                        + "/, as in a Stable Diffusion 1.x folder)");
            }
        }
        return dir;
    }

    /** The checker network of a {@link #safetyCheckerFolder safety checker folder}. */
    public static StableDiffusionSafetyChecker loadSafetyChecker(Path dir, NDManager manager, DataType floatType)
            throws IOException {
        Path component = safetyCheckerFolder(dir).resolve(SAFETY_CHECKER);
        SafetyCheckerConfig config = SafetyCheckerConfig.read(component.resolve("config.json"));
        try (StateDict weights = StateDict.openComponent(component, manager, floatType)) {
            return new StableDiffusionSafetyChecker(config, weights);
        }
    }

    /** The image processor that makes the checker's input, from a {@link #safetyCheckerFolder safety checker folder}. */
    public static ClipImageProcessor featureExtractor(Path dir) throws IOException {
        return new ClipImageProcessor(ClipImageProcessorConfig.read(
                safetyCheckerFolder(dir).resolve(FEATURE_EXTRACTOR).resolve("preprocessor_config.json")));
    }

    /** A UNet from any folder holding {@code config.json} and its weights. */
    public static UNet2DConditionModel loadUNet(Path dir, NDManager manager, DataType floatType) throws IOException {
        UNet2DConditionConfig config = UNet2DConditionConfig.read(dir.resolve("config.json"));
        try (StateDict weights = StateDict.openComponent(dir, manager, floatType)) {
            return new UNet2DConditionModel(config, weights);
        }
    }
}
