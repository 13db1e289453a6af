package io.fijigen.engine.server;

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
    /** Base models inpaint by latent blending: any txt2img model can repaint a masked region. */
    SD15("sd15", Loads.PIPELINE, Capability.TXT2IMG, Capability.IMG2IMG, Capability.INPAINT),
    SD2("sd2", Loads.PIPELINE, Capability.TXT2IMG, Capability.IMG2IMG, Capability.INPAINT),
    /** The 9-channel UNet wants the mask and the masked image as input, so it only inpaints. */
    INPAINT("inpaint", Loads.PIPELINE, Capability.INPAINT),
    CONTROLNET("controlnet", Loads.CONTROLNET, Capability.CONTROLNET),
    UPSCALER("upscaler", Loads.PIPELINE, Capability.UPSCALE),
    /** Merged into a pipeline's weights, never run alone. */
    LORA("lora", Loads.NOTHING),
    /** A textual inversion: its tokens join a job's tokenizer and text encoder, never run alone. */
    EMBEDDING("embedding", Loads.NOTHING),
    /** Loaded for the requests that ask for a safety check; the first registered one serves them. */
    SAFETY("safety", Loads.SAFETY_CHECKER);

    /** What {@link ModelRegistry} builds from a model of this kind. */
    enum Loads {
        PIPELINE("pipeline"),
        CONTROLNET("ControlNet"),
        SAFETY_CHECKER("safety checker"),
        NOTHING("model that loads on its own");

        private final String description;

        Loads(String description) {
            this.description = description;
        }

        /** What such a model is, in error messages. */
        String description() {
            return description;
        }
    }

    private final String configName;
    private final Loads loads;
    private final Set<Capability> capabilities;

    ModelKind(String configName, Loads loads, Capability... capabilities) {
        this.configName = configName;
        this.loads = loads;
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

    Loads loads() {
        return loads;
    }

    public static Optional<ModelKind> fromConfigName(String name) {
        return Arrays.stream(values()).filter(kind -> kind.configName.equals(name)).findFirst();
    }

    /** The names a config may use, for error messages. */
    public static String configNames() {
        return Arrays.stream(values()).map(ModelKind::configName).collect(Collectors.joining(", "));
    }
}
