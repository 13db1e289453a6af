package io.fijigen.engine.weights;

import java.util.Collection;
import java.util.Optional;
import java.util.regex.Pattern;

/** The family of models a LoRA was made for: its layers fit no other. */
public enum LoraFamily {
    STABLE_DIFFUSION("Stable Diffusion 1.x/2.x"),
    STABLE_DIFFUSION_XL("Stable Diffusion XL");

    /** SD 1.x/2.x have one transformer block per attention; SDXL up to ten. */
    private static final Pattern LATER_TRANSFORMER_BLOCK = Pattern.compile(".*transformer_blocks[._][1-9].*");
    /**
     * UNet modules SDXL's lacks, in diffusers' and the original names: attention on the first level
     * (SD's input blocks 1 and 2, the last up level) and a fourth level.
     */
    private static final Pattern SD_ONLY_MODULE = Pattern.compile(
            "(down_blocks[._]0[._]attentions|up_blocks[._]3|down_blocks[._]3|input_blocks_[12]_1|output_blocks_(9|1[01]))[._].*");

    private final String description;

    LoraFamily(String description) {
        this.description = description;
    }

    /** The family in the user's words: "Stable Diffusion XL". */
    public String description() {
        return description;
    }

    /**
     * The family the layers' names tell, when they tell one: SDXL LoRAs adapt a second text encoder
     * (kohya names SDXL's encoders te1 and te2, SD's one te) or a transformer block past the first;
     * SD 1.x/2.x LoRAs adapt modules SDXL's UNet lacks. Empty when the names say neither (a LoRA of
     * a few UNet layers, say) or both: whether the layers fit is then the model's to tell.
     */
    public static Optional<LoraFamily> of(Collection<LoraFile.Layer> layers) {
        boolean xl = layers.stream().anyMatch(layer -> layer.network() == LoraFile.Network.TEXT_ENCODER_2
                || layer.downKey().startsWith("lora_te1_")
                || layer.network() == LoraFile.Network.UNET && LATER_TRANSFORMER_BLOCK.matcher(layer.name()).matches());
        boolean sd = layers.stream().anyMatch(layer -> layer.downKey().startsWith("lora_te_")
                || layer.network() == LoraFile.Network.UNET && SD_ONLY_MODULE.matcher(layer.name()).matches());
        if (xl == sd) {
            return Optional.empty();
        }
        return Optional.of(xl ? STABLE_DIFFUSION_XL : STABLE_DIFFUSION);
    }
}
