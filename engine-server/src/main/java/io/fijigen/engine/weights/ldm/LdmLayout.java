package io.fijigen.engine.weights.ldm;

import io.fijigen.engine.weights.TensorInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What an LDM-layout single file holds, told from its keys: a Stable Diffusion 1.x checkpoint
 * (UNet, VAE and the CLIP ViT-L text encoder), a 2.x one (OpenCLIP ViT-H text encoder), an SDXL one
 * in the SGM layout (CLIP ViT-L and OpenCLIP ViT-bigG, as {@code conditioner.embedders.0} and
 * {@code .1}), or a ControlNet.
 */
public enum LdmLayout {
    STABLE_DIFFUSION_1("Stable Diffusion 1.x"),
    STABLE_DIFFUSION_2("Stable Diffusion 2.x"),
    STABLE_DIFFUSION_XL("Stable Diffusion XL"),
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
    /** SGM's conditioner: SDXL's text encoders, one embedder each. */
    private static final String CONDITIONER_PREFIX = "conditioner.embedders.";
    /** SDXL's size-and-pooled-text embedding, which SD 1.x/2.x UNets lack. */
    private static final String ADDITION_EMBEDDING = UNET_PREFIX + "label_emb.0.0.weight";

    /**
     * @throws LdmFormatException naming the file and what was expected, when it is in no layout, or
     *     naming the missing networks, when it is an SDXL checkpoint without all of them
     */
    public static LdmLayout detect(Path file, List<TensorInfo> tensors) {
        LdmLayout layout = of(tensors).orElseThrow(() -> {
            String sample = tensors.stream().limit(3).map(TensorInfo::name).collect(Collectors.joining(", "));
            return new LdmFormatException(file + " is not a single-file checkpoint in the original (LDM) layout:"
                    + " expected model.diffusion_model.*, first_stage_model.* and cond_stage_model.* (Stable"
                    + " Diffusion 1.x/2.x) or conditioner.embedders.* (SDXL), or control_model.input_hint_block.*"
                    + " (ControlNet), found " + tensors.size() + " tensors such as "
                    + (sample.isEmpty() ? "none" : sample) + "; a diffusers model is a folder (model_index.json),"
                    + " give that instead");
        });
        if (layout == STABLE_DIFFUSION_XL) {
            requireSdxlNetworks(file, tensors);
        }
        return layout;
    }

    /** The layout of {@code tensors}, if they are an LDM checkpoint (a LoRA, say, is not). */
    public static Optional<LdmLayout> of(List<TensorInfo> tensors) {
        boolean unet = any(tensors, UNET_PREFIX);
        boolean vae = any(tensors, VAE_PREFIX);
        boolean clip = any(tensors, ClipKeyMap.PREFIX);
        boolean openClip = any(tensors, OpenClipKeyMap.PREFIX);
        if (unet && (any(tensors, CONDITIONER_PREFIX) || any(tensors, ADDITION_EMBEDDING))) {
            return Optional.of(STABLE_DIFFUSION_XL);
        }
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

    /** Checked from the header, so a partial file fails before anything is loaded. */
    private static void requireSdxlNetworks(Path file, List<TensorInfo> tensors) {
        List<String> missing = new ArrayList<>();
        if (!any(tensors, VAE_PREFIX)) {
            missing.add("the VAE (" + VAE_PREFIX + "*, vae)");
        }
        if (!any(tensors, ClipKeyMap.SDXL_PREFIX)) {
            missing.add("the CLIP ViT-L text encoder (" + ClipKeyMap.SDXL_PREFIX + "*, text_encoder)");
        }
        if (!any(tensors, OpenClipKeyMap.SDXL_PREFIX)) {
            missing.add("the OpenCLIP ViT-bigG text encoder (" + OpenClipKeyMap.SDXL_PREFIX + "*, text_encoder_2)");
        }
        if (missing.isEmpty()) {
            return;
        }
        // The refiner conditions on bigG alone, stored as embedders.0.
        boolean refiner = any(tensors, CONDITIONER_PREFIX + "0.model.");
        throw new LdmFormatException(file + " is an SDXL checkpoint without " + String.join(" and ", missing)
                + (refiner ? "; it looks like the SDXL refiner (one OpenCLIP encoder as embedders.0), which is not"
                        + " supported" : "; give a complete checkpoint (UNet, VAE and both text encoders)"));
    }

    private static boolean any(List<TensorInfo> tensors, String prefix) {
        return tensors.stream().anyMatch(t -> t.name().startsWith(prefix));
    }
}
