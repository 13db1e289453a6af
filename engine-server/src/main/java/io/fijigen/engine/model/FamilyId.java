package io.fijigen.engine.model;

import io.fijigen.engine.config.ClipTextConfig;
import io.fijigen.engine.config.ControlNetConfig;
import io.fijigen.engine.config.UNet2DConditionConfig;
import io.fijigen.engine.weights.LoraFamily;

/**
 * A model's family as users name it ({@code fijigen models}, ListModels' {@code Model.family}), told
 * from its configs: finer than {@link ModelFamily}, which says only how prompts are encoded. A
 * ControlNet or LoRA is made for one family and fits its models and their inpainting variant alone
 * (an SDXL ControlNet guides {@code sdxl} and {@code sdxl-inpaint} models, not {@code sd15} ones):
 * the rule is the wire's, {@code io.fijigen.proto.client.ModelFamilies}, on these ids, so that the
 * server and its clients apply the same one.
 */
public enum FamilyId {
    SD15("sd15", "Stable Diffusion 1.x"),
    SD15_INPAINT("sd15-inpaint", "Stable Diffusion 1.x inpainting"),
    SD2("sd2", "Stable Diffusion 2.x"),
    SD2_INPAINT("sd2-inpaint", "Stable Diffusion 2.x inpainting"),
    /** A LoRA made for SD 1.x or 2.x whose layer names do not tell which (see {@link LoraFamily#of}). */
    SD("sd", "Stable Diffusion 1.x or 2.x"),
    SDXL("sdxl", "Stable Diffusion XL"),
    SDXL_INPAINT("sdxl-inpaint", "Stable Diffusion XL inpainting"),
    X4_UPSCALER("x4-upscaler", "Stable Diffusion x4 upscaler");

    /** SD 2.x's text encoder and its UNet's cross-attention are OpenCLIP ViT-H/14's width. */
    private static final int OPEN_CLIP_H_WIDTH = 1024;
    /** The UNet's input with the mask and the masked image's latents beside the noisy latents. */
    private static final int INPAINT_CHANNELS = 9;

    private final String id;
    private final String description;

    FamilyId(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** What the user reads and the wire carries: {@code sdxl-inpaint}. */
    public String id() {
        return id;
    }

    /** In the user's words: "Stable Diffusion XL inpainting". */
    public String description() {
        return description;
    }

    /**
     * A pipeline's family, from its UNet's and (first) text encoder's configs: SDXL's UNet adds the
     * pooled text and time ids to its timestep embedding, the x4 upscaler's takes the noise level as a
     * class label, an inpainting UNet 9 input channels; SD 2.x is told by OpenCLIP's text encoder.
     */
    public static FamilyId of(UNet2DConditionConfig unet, ClipTextConfig textEncoder) {
        boolean inpaint = unet.inChannels() == INPAINT_CHANNELS;
        if (unet.textTime() != null) {
            return inpaint ? SDXL_INPAINT : SDXL;
        }
        if (unet.numClassEmbeds() != null) {
            return X4_UPSCALER;
        }
        // OpenCLIP's exact gelu tells the tiny fixtures apart too, whose widths are all 32.
        boolean openClip = textEncoder.hiddenAct().equals("gelu") || unet.crossAttentionDim() == OPEN_CLIP_H_WIDTH;
        if (openClip) {
            return inpaint ? SD2_INPAINT : SD2;
        }
        return inpaint ? SD15_INPAINT : SD15;
    }

    /** A pipeline's family from configs read without its weights. */
    public static FamilyId of(PipelineConfigs configs) {
        return of(configs.unet(), configs.textEncoder());
    }

    /** The family whose UNet a ControlNet copies: SDXL's by its added text-time embedding, SD 2.x's by its width. */
    public static FamilyId of(ControlNetConfig controlNet) {
        UNet2DConditionConfig unet = controlNet.unet();
        if (unet.textTime() != null) {
            return SDXL;
        }
        return unet.crossAttentionDim() == OPEN_CLIP_H_WIDTH ? SD2 : SD15;
    }

    /** A LoRA's family, as its layer names tell it. */
    public static FamilyId of(LoraFamily lora) {
        return lora == LoraFamily.STABLE_DIFFUSION_XL ? SDXL : SD;
    }

    /** Whether a pipeline of this family draws with SDXL's networks (and so decodes as SDXL's pipelines do). */
    public boolean isSdxl() {
        return this == SDXL || this == SDXL_INPAINT;
    }
}
