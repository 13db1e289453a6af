package io.fijigen.engine.server;

import io.fijigen.engine.model.FamilyId;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a registered model is, as the registry's {@code kind} field names it: which jobs it can run
 * and how it loads (a whole pipeline, a ControlNet next to one, or nothing on its own).
 */
public enum ModelKind {
    /**
     * Base models inpaint by latent blending: any txt2img model can repaint a masked region. A model
     * that ControlNet units can guide has {@link Capability#CONTROLNET}; the ControlNets themselves
     * run only inside such a job.
     */
    SD15("sd15", ModelLoader.PIPELINE, Capability.TXT2IMG, Capability.IMG2IMG, Capability.INPAINT,
            Capability.CONTROLNET),
    SD2("sd2", ModelLoader.PIPELINE, Capability.TXT2IMG, Capability.IMG2IMG, Capability.INPAINT,
            Capability.CONTROLNET),
    SDXL("sdxl", ModelLoader.PIPELINE, Capability.TXT2IMG, Capability.IMG2IMG, Capability.INPAINT,
            Capability.CONTROLNET),
    /**
     * The 9-channel UNet wants the mask and the masked image as input, so it only inpaints. SD 1.x,
     * 2.x and SDXL ones alike: the model's family ({@link ModelCatalogue#family}) says which.
     */
    INPAINT("inpaint", ModelLoader.PIPELINE, Capability.INPAINT, Capability.CONTROLNET),
    /** Of SD 1.x, 2.x or SDXL, by its family: it guides models of that family only. */
    CONTROLNET("controlnet", ModelLoader.CONTROLNET),
    UPSCALER("upscaler", ModelLoader.PIPELINE, Capability.UPSCALE),
    /** Merged into a pipeline's weights, never run alone; of the family its layers tell. */
    LORA("lora"),
    /** A textual inversion: its tokens join a job's tokenizer and text encoder, never run alone. */
    EMBEDDING("embedding"),
    /** Loaded for the requests that ask for a safety check; the first registered one serves them. */
    SAFETY("safety", ModelLoader.SAFETY_CHECKER);

    private final String configName;
    /** Null for a kind never loaded on its own. */
    private final ModelLoader<?> loader;
    private final Set<Capability> capabilities;

    ModelKind(String configName) {
        this(configName, null);
    }

    ModelKind(String configName, ModelLoader<?> loader, Capability... capabilities) {
        this.configName = configName;
        this.loader = loader;
        Set<Capability> set = EnumSet.noneOf(Capability.class);
        set.addAll(Arrays.asList(capabilities));
        this.capabilities = Collections.unmodifiableSet(set);
    }

    /** The name in the YAML file. */
    public String configName() {
        return configName;
    }

    public Set<Capability> capabilities() {
        return capabilities;
    }

    /** What a model of this kind loads into; empty for a kind never loaded on its own. */
    Optional<ModelLoader<?>> loader() {
        return Optional.ofNullable(loader);
    }

    boolean loadsAs(ModelLoader<?> wanted) {
        return loader == wanted;
    }

    /**
     * The kind of a Stable Diffusion folder or single-file checkpoint, told by its family: an inpainting UNet only
     * inpaints, the x4 upscaler only upscales.
     */
    public static ModelKind ofPipeline(FamilyId family) {
        return switch (family) {
            case SD15_INPAINT, SD2_INPAINT, SDXL_INPAINT -> INPAINT;
            case X4_UPSCALER -> UPSCALER;
            case SDXL -> SDXL;
            case SD2 -> SD2;
            // A pipeline is never SD, which only a LoRA's layer names leave open.
            case SD15, SD -> SD15;
        };
    }

    public static Optional<ModelKind> fromConfigName(String name) {
        return Arrays.stream(values()).filter(kind -> kind.configName.equals(name)).findFirst();
    }

    /** The names a config may use, for error messages. */
    public static String configNames() {
        return Arrays.stream(values()).map(ModelKind::configName).collect(Collectors.joining(", "));
    }
}
