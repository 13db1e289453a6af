package io.fijigen.engine.cli;

import io.fijigen.engine.pipeline.FieldRange;
import io.fijigen.engine.pipeline.RequestField;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The options' defaults, from the engine's table of request defaults, so that {@code --help} shows
 * what the engine does with a field left unset. The requests still leave model-dependent fields
 * (steps, guidance, strength) unset when their options are not given: a server's registry may set
 * its own.
 */
final class OptionDefaults implements IDefaultValueProvider {
    private static final Map<String, Map<String, RequestField>> BY_COMMAND = Map.of(
            "generate", Map.ofEntries(
                    Map.entry("--steps", RequestField.STEPS),
                    Map.entry("--guidance", RequestField.GUIDANCE),
                    Map.entry("--strength", RequestField.STRENGTH),
                    Map.entry("--num-images", RequestField.NUM_IMAGES),
                    Map.entry("--clip-skip", RequestField.CLIP_SKIP),
                    Map.entry("--mask-blur", RequestField.MASK_BLUR),
                    Map.entry("--mask-grow", RequestField.MASK_GROW),
                    Map.entry("--padding", RequestField.PADDING),
                    Map.entry("--hires-strength", RequestField.HIRES_STRENGTH),
                    Map.entry("--outpaint-overlap", RequestField.OUTPAINT_OVERLAP)),
            "upscale", Map.of(
                    "--steps", RequestField.UPSCALE_STEPS,
                    "--guidance", RequestField.UPSCALE_GUIDANCE,
                    "--noise-level", RequestField.NOISE_LEVEL,
                    "--tile", RequestField.TILE,
                    "--tile-overlap", RequestField.TILE_OVERLAP,
                    "--factor", RequestField.FACTOR,
                    "--strength", RequestField.REFINE_STRENGTH),
            "canny", Map.of(
                    "--low", RequestField.CANNY_LOW,
                    "--high", RequestField.CANNY_HIGH));

    /**
     * The options of a repeated group (a ControlNet unit's): picocli applies a provider's defaults
     * to such a group before it exists and fails, so their fields start at the table's values and
     * their help reads {@code ${sys:fijigen.default.OPTION}}, which this publishes.
     */
    private static final Map<String, RequestField> REPEATED_GROUPS = Map.of(
            "controlnet-scale", RequestField.CONTROL_SCALE,
            "control-start", RequestField.CONTROL_START,
            "control-end", RequestField.CONTROL_END);

    /** Makes the repeated groups' defaults readable by their help texts. */
    static void publish() {
        REPEATED_GROUPS.forEach((option, field) ->
                System.setProperty("fijigen.default." + option, FieldRange.number(field.defaultValue())));
    }

    @Override
    public String defaultValue(ArgSpec argument) {
        if (!(argument instanceof OptionSpec option)) {
            return null;
        }
        RequestField field = BY_COMMAND.getOrDefault(argument.command().name(), Map.of()).get(option.longestName());
        return field == null ? null : FieldRange.number(field.defaultValue());
    }
}
