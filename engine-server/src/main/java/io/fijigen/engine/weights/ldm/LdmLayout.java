package io.fijigen.engine.weights.ldm;

import io.fijigen.engine.weights.TensorInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What an LDM-layout single file holds, told from its keys: a Stable Diffusion 1.x checkpoint
 * (UNet, VAE and the CLIP ViT-L text encoder), a 2.x one (OpenCLIP ViT-H text encoder), or a
 * ControlNet.
 */
public enum LdmLayout {
    STABLE_DIFFUSION_1("Stable Diffusion 1.x"),
    STABLE_DIFFUSION_2("Stable Diffusion 2.x"),
    CONTROLNET("ControlNet");

    private final String description;

    LdmLayout(String description) {
        this.description = description;
    }

    /** What the layout is in the user's words: "Stable Diffusion 2.x". */
    public String description() {
        return description;
    }

    public static final String UNET_PREFIX = "model.diffusion_model.";
    public static final String VAE_PREFIX = "first_stage_model.";

    /** @throws LdmFormatException naming the file and what was expected, when it is neither layout */
    public static LdmLayout detect(Path file, List<TensorInfo> tensors) {
        return of(tensors).orElseThrow(() -> {
            String sample = tensors.stream().limit(3).map(TensorInfo::name).collect(Collectors.joining(", "));
            return new LdmFormatException(file + " is not a single-file checkpoint in the original (LDM) layout:"
                    + " expected model.diffusion_model.*, first_stage_model.* and cond_stage_model.* (Stable"
                    + " Diffusion 1.x/2.x) or control_model.input_hint_block.* (ControlNet), found " + tensors.size()
                    + " tensors such as " + (sample.isEmpty() ? "none" : sample) + "; a diffusers model is a"
                    + " folder (model_index.json), give that instead");
        });
    }

    /** The layout of {@code tensors}, if they are an LDM checkpoint (a LoRA, say, is not). */
    public static Optional<LdmLayout> of(List<TensorInfo> tensors) {
        boolean unet = any(tensors, UNET_PREFIX);
        boolean vae = any(tensors, VAE_PREFIX);
        boolean clip = any(tensors, ClipKeyMap.PREFIX);
        boolean openClip = any(tensors, OpenClipKeyMap.PREFIX);
        if (unet && vae && (clip || openClip)) {
            return Optional.of(openClip ? STABLE_DIFFUSION_2 : STABLE_DIFFUSION_1);
        }
        if (any(tensors, ControlNetKeyMap.PREFIX + "input_hint_block.")
                || tensors.stream().anyMatch(t -> t.name().startsWith("input_hint_block."))) {
            return Optional.of(CONTROLNET);
        }
        return Optional.empty();
    }

    /** The prefix of a ControlNet's keys in {@code tensors}: {@code control_model.}, or none. */
    public static String controlNetPrefix(List<TensorInfo> tensors) {
        return any(tensors, ControlNetKeyMap.PREFIX) ? ControlNetKeyMap.PREFIX : "";
    }

    private static boolean any(List<TensorInfo> tensors, String prefix) {
        return tensors.stream().anyMatch(t -> t.name().startsWith(prefix));
    }
}
