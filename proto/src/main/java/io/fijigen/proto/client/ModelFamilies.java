package io.fijigen.proto.client;

import java.util.Optional;

/**
 * Which ControlNets and LoRAs fit which models, by the families ListModels reports
 * ({@code Model.family}): the rule the engine admits a request by, and a client checks before it
 * sends one. A ControlNet or LoRA is made for a base family ({@code sd15}, {@code sd2},
 * {@code sdxl}) and fits its models and their inpainting variants ({@code sdxl-inpaint}); a LoRA of
 * family {@code sd} (SD 1.x or 2.x, its layers do not tell which) fits either's.
 */
public final class ModelFamilies {
    private static final String INPAINT = "-inpaint";
    private static final String SD = "sd";
    private static final String SD15 = "sd15";
    private static final String SD2 = "sd2";

    private ModelFamilies() {}

    /**
     * Whether a ControlNet or LoRA of family {@code addOn} fits a model of family {@code model}; an
     * empty (unknown) family fits, leaving it to the job's loading to tell.
     */
    public static boolean fits(String addOn, String model) {
        if (addOn.isEmpty() || model.isEmpty()) {
            return true;
        }
        String base = base(model);
        return addOn.equals(base) || addOn.equals(SD) && (base.equals(SD15) || base.equals(SD2));
    }

    /**
     * Why a ControlNet or LoRA does not fit the model, for the user; empty when it fits.
     *
     * @param what "ControlNet" or "LoRA"
     */
    public static Optional<String> misfit(String what, String addOnId, String addOnFamily, String modelId,
            String modelFamily) {
        if (fits(addOnFamily, modelFamily)) {
            return Optional.empty();
        }
        return Optional.of(what + " '" + addOnId + "' is made for " + addOnFamily + " models, not for model '"
                + modelId + "' (" + modelFamily + "): choose a " + what + " made for " + base(modelFamily));
    }

    /** The family a model's ControlNets and LoRAs are made for: {@code sdxl} for {@code sdxl-inpaint}. */
    private static String base(String family) {
        return family.endsWith(INPAINT) ? family.substring(0, family.length() - INPAINT.length()) : family;
    }
}
