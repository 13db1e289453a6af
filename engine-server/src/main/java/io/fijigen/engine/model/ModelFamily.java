package io.fijigen.engine.model;

import io.fijigen.engine.config.ClipTextConfig;
import io.fijigen.engine.config.ModelIndex;
import java.util.List;

/** Which Stable Diffusion a pipeline model is: what its prompts are encoded with and what its UNet takes. */
public enum ModelFamily {
    /**
     * SD 1.x and 2.x, with their inpainting and x4 upscaler pipelines: one CLIP text encoder, whose
     * (normed) hidden states are the UNet's text.
     */
    SD(List.of("tokenizer", "text_encoder", "unet", "vae", "scheduler"), List.of("text_encoder", "unet", "vae")),
    /**
     * SDXL: two text encoders, whose raw penultimate hidden states are concatenated into the UNet's
     * text; the second's pooled output and the image's size and crop (the time ids) condition the
     * timestep embedding.
     */
    SDXL(List.of("tokenizer", "tokenizer_2", "text_encoder", "text_encoder_2", "unet", "vae", "scheduler"),
            List.of("text_encoder", "text_encoder_2", "unet", "vae"));

    private final List<String> components;
    private final List<String> networks;

    ModelFamily(List<String> components, List<String> networks) {
        this.components = components;
        this.networks = networks;
    }

    /** The diffusers components a pipeline folder of this family must have. */
    public List<String> components() {
        return components;
    }

    /** The components with weights, in the order {@link StableDiffusion#load} reads them. */
    public List<String> networks() {
        return networks;
    }

    /**
     * The largest clip skip (1: the last layer, as web UIs count) a request may ask of these text
     * encoders, {@code textEncoder2} being SDXL's second (null for SD). SD's skip k takes the k-th
     * layer from the end, so every layer may be. SDXL's prompt embeddings are the penultimate layer
     * already, its skip k the (k + 1)-th from the end of both encoders, so one less than the
     * shallower encoder has.
     */
    public int maxClipSkip(ClipTextConfig textEncoder, ClipTextConfig textEncoder2) {
        return switch (this) {
            case SD -> textEncoder.numHiddenLayers();
            case SDXL -> Math.min(textEncoder.numHiddenLayers(), textEncoder2.numHiddenLayers()) - 1;
        };
    }

    /** From a folder's model_index.json: an SDXL pipeline class, or a second text encoder, make it SDXL. */
    public static ModelFamily of(ModelIndex index) {
        boolean xl = index.pipelineClass().startsWith("StableDiffusionXL")
                || index.components().containsKey("text_encoder_2");
        return xl ? SDXL : SD;
    }
}
