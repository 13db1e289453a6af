package io.fijigen.engine.pipeline;

import io.fijigen.engine.image.ImageFiles;
import java.util.List;

/**
 * The one table of request defaults and limits. The server's request translator, the local command
 * line (its options' defaults and help), {@code ListModels}, the registry's validation of a model's
 * own defaults and the pipelines' own checks all read them here, and a test holds the comments of
 * {@code engine.proto} to them: each constant names the proto fields it governs, and the comment of
 * each must state its {@link #range()} and {@link #defaultText()} as written here.
 *
 * <p>Where diffusers' pipelines have a default, it is theirs: 50 steps, guidance 7.5, strength 0.8
 * for img2img and 1.0 for inpainting, and for the x4 upscaler 75 steps, guidance 9 and noise level 20.
 */
public enum RequestField {
    PROMPT(FieldRange.ints(0, 1000), null,
            "GenerateRequest.prompt", "GenerateRequest.negative_prompt", "UpscaleRequest.prompt",
            "UpscaleRequest.negative_prompt"),
    /** A name the client picks for its interactive jobs; the queue holds it while they wait. */
    SESSION(FieldRange.ints(0, 128), null, "GenerateRequest.session"),
    STEPS(FieldRange.ints(1, 1000), Default.ofModelWhenZero("default_steps", 50), "GenerateRequest.steps"),
    UPSCALE_STEPS(FieldRange.ints(1, 1000), Default.ofModelWhenZero("default_steps", 75), "UpscaleRequest.steps"),
    GUIDANCE(FieldRange.closed(0, 30), Default.ofModelWhenUnset("default_guidance", 7.5),
            "GenerateRequest.guidance"),
    UPSCALE_GUIDANCE(FieldRange.closed(0, 30), Default.ofModelWhenUnset("default_guidance", 9),
            "UpscaleRequest.guidance"),
    /** DDIM's η and TCD's γ; their defaults differ (SchedulerKind.defaultEta), so none here. */
    ETA(FieldRange.closed(0, 1), null, "GenerateRequest.eta", "UpscaleRequest.eta", "Refine.eta"),
    /** Generated images; beyond 2048² the UNet's attention alone needs tens of GiB. */
    SIDE(FieldRange.multiples(8, 8, 2048), null, "GenerateRequest.width", "GenerateRequest.height"),
    /** Images given (and an upscale's result): decoded and held whole in memory, as image files are read. */
    IMAGE_SIDE(FieldRange.ints(ImageFiles.MIN_SIDE, ImageFiles.MAX_SIDE), null, "header"),
    NUM_IMAGES(FieldRange.ints(1, 16), Default.whenZero(1), "GenerateRequest.num_images"),
    /** Its upper end is the model's: the text encoder's layer count. */
    CLIP_SKIP(null, Default.whenZero(1), "GenerateRequest.clip_skip"),
    STRENGTH(FieldRange.aboveUpTo(0, 1), new Default(0.8, "Unset = 0.8 for img2img"), "GenerateRequest.strength"),
    INPAINT_STRENGTH(FieldRange.aboveUpTo(0, 1), new Default(1, "1 for inpainting"), "GenerateRequest.strength"),
    MASK_BLUR(FieldRange.ints(0, 1024), Default.whenUnset(4), "GenerateRequest.mask_blur"),
    MASK_GROW(FieldRange.ints(0, 1024), Default.plain(0), "GenerateRequest.mask_grow"),
    PADDING(FieldRange.ints(0, 1024), Default.whenUnset(32), "GenerateRequest.padding"),
    /**
     * ControlNet units: each runs a ControlNet (about half a UNet) at every step and holds its control
     * image on the device, so a job's time and memory grow with the count. Four covers the usual
     * combinations (A1111 offers 3 units by default, diffusers' examples use 2).
     */
    CONTROLS(FieldRange.ints(0, 4), null, "GenerateRequest.controls"),
    /** LoRAs of the loras field and the prompt's tags together: each is merged into the weights for the job. */
    LORAS(FieldRange.ints(0, 8), null, "GenerateRequest.loras"),
    /** Beyond 10 the residuals swamp the UNet's own activations (3e38 gives black images). */
    CONTROL_SCALE(FieldRange.closed(0, 10), Default.whenUnset(1), "ControlUnit.scale"),
    /** In [0, end): checked with the end. */
    CONTROL_START(null, Default.plain(0), "ControlUnit.start"),
    CONTROL_END(null, Default.whenUnset(1), "ControlUnit.end"),
    CANNY_LOW(null, Default.whenUnset(100), "CannyThresholds.low", "CannyRequest.low"),
    CANNY_HIGH(null, Default.whenUnset(200), "CannyThresholds.high", "CannyRequest.high"),
    LORA_WEIGHT(FieldRange.closed(-10, 10), Default.whenUnset(1), "Lora.weight"),
    /** Its upper end is the model's {@code max_noise_level} (350 for the x4 upscaler). */
    NOISE_LEVEL(null, Default.whenUnset(20), "UpscaleRequest.noise_level"),
    TILE(FieldRange.ints(8, 4096), Default.whenZero(128), "UpscaleRequest.tile"),
    /** In [0, tile / 2): checked with the tile. */
    TILE_OVERLAP(null, Default.whenUnset(32), "UpscaleRequest.tile_overlap"),
    FACTOR(FieldRange.aboveUpTo(0, 8), Default.whenZero(4), "UpscaleRequest.factor"),
    /** As the upscale's factor; the second pass's sides are bounded by {@link #SIDE} besides. */
    HIRES_SCALE(FieldRange.aboveUpTo(1, 8), null, "Hires.scale"),
    /** 0 = the first pass's steps: checked once that is known. */
    HIRES_STEPS(FieldRange.ints(1, 1000), null, "Hires.steps"),
    /** The A1111 web UI's txt2img "Denoising strength" slider starts at 0.7. */
    HIRES_STRENGTH(FieldRange.aboveUpTo(0, 1), Default.whenUnset(0.7), "Hires.strength"),
    /**
     * Refine Upscale keeps the enlarged image's structure: the community's tiled refiners (Ultimate SD
     * Upscale, Tiled Diffusion) suggest 0.2 to 0.4.
     */
    REFINE_STRENGTH(FieldRange.aboveUpTo(0, 1), Default.whenUnset(0.35), "Refine.strength"),
    /** 0 = the model's native size; each side is capped at the output's, rounded down to a multiple of 8. */
    REFINE_TILE(FieldRange.multiples(8, 8, 2048), null, "Refine.tile"),
    /** SDXL's size conditioning: up to 8 times SDXL's largest training size, far beyond any useful value. */
    CONDITIONING_SIDE(FieldRange.ints(1, 16384), null, "Size.width", "Size.height"),
    CONDITIONING_OFFSET(FieldRange.ints(0, 16384), null, "Offset.top", "Offset.left"),
    /** Outpainting: what a side may grow by; the grown image's sides are held to {@link #SIDE} too. */
    OUTPAINT_SIDE(FieldRange.ints(0, 2048), Default.plain(0), "Outpaint.left", "Outpaint.top", "Outpaint.right",
            "Outpaint.bottom"),
    /** Image pixels repainted along a side that grows: as much as the mask's blur and grow may reach. */
    OUTPAINT_OVERLAP(FieldRange.ints(0, 1024), Default.whenUnset(8), "Outpaint.overlap"),
    /**
     * Regional prompts: each distinct region text is one more attention batch in every
     * cross-attention layer of every step; eight covers any layout one would draw by hand.
     */
    REGIONS(FieldRange.ints(0, 8), null, "GenerateRequest.regions"),
    /** Beyond 10 a region drowns out the base prompt wherever it reaches, even at its blurred edge. */
    REGION_WEIGHT(FieldRange.aboveUpTo(0, 10), Default.whenUnset(1), "Region.weight");

    /**
     * A field's default: the value, and how the proto comment says it.
     *
     * @param text "Unset = 4" (optional fields), "0 = 1" (where zero means the default), "Default 0"
     *     (where the default is the zero value), or for a model's own default "0 = the model's
     *     default_steps (50 unless its registry entry sets another)"
     */
    public record Default(double value, String text) {
        static Default whenUnset(double value) {
            return new Default(value, "Unset = " + FieldRange.number(value));
        }

        static Default whenZero(double value) {
            return new Default(value, "0 = " + FieldRange.number(value));
        }

        static Default plain(double value) {
            return new Default(value, "Default " + FieldRange.number(value));
        }

        static Default ofModelWhenZero(String registryKey, double value) {
            return new Default(value, "0 = " + ofModel(registryKey, value));
        }

        static Default ofModelWhenUnset(String registryKey, double value) {
            return new Default(value, "Unset = " + ofModel(registryKey, value));
        }

        private static String ofModel(String registryKey, double value) {
            return "the model's " + registryKey + " (" + FieldRange.number(value)
                    + " unless its registry entry sets another)";
        }
    }

    private final FieldRange range;
    private final Default fallback;
    private final List<String> protoFields;

    RequestField(FieldRange range, Default fallback, String... protoFields) {
        this.range = range;
        this.fallback = fallback;
        this.protoFields = List.of(protoFields);
    }

    /** The accepted values; null where the limit is the model's or depends on another field. */
    public FieldRange range() {
        return range;
    }

    /** The default value; only for fields that have a numeric one. */
    public double defaultValue() {
        if (fallback == null) {
            throw new IllegalStateException(this + " has no numeric default");
        }
        return fallback.value();
    }

    public int defaultInt() {
        return (int) defaultValue();
    }

    /** How the proto comment states the default; null where there is no numeric one. */
    public String defaultText() {
        return fallback == null ? null : fallback.text();
    }

    /** The fields this governs, as {@code Message.field} ({@code header}: the proto file's header). */
    public List<String> protoFields() {
        return protoFields;
    }

    /** {@code value} checked against the range, errors naming {@code field} (e.g. "controls[1].end"). */
    public int check(String field, int value) {
        return range.check(field, value);
    }

    public double check(String field, double value) {
        return range.check(field, value);
    }
}
