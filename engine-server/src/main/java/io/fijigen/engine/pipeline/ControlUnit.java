package io.fijigen.engine.pipeline;

import io.fijigen.engine.nn.ControlNetModel;
import io.fijigen.engine.tensor.HostTensor;

/**
 * One ControlNet guiding a generation (diffusers' per-ControlNet arguments; several units sum
 * their residuals, as its {@code MultiControlNetModel} does).
 *
 * @param image the control image, [1, 3, H, W] in [0, 1] at the generation size (e.g. canny edges as 0/1)
 * @param scale {@code controlnet_conditioning_scale}
 * @param guessMode only the conditional half of the guidance batch gets control, residuals scaled
 *     from 0.1 to 1 (the reference's {@code guess_mode})
 * @param start {@code control_guidance_start}: fraction of the steps before which the unit is off
 * @param end {@code control_guidance_end}: fraction of the steps after which the unit is off
 */
public record ControlUnit(ControlNetModel model, HostTensor image, float scale, boolean guessMode, double start,
        double end) {

    /** Errors name the proto's fields (start, end, scale); a request's translator puts the unit's index before them. */
    public ControlUnit {
        checkSpan(start, end);
        if (!Float.isFinite(scale)) {
            throw new InvalidRequestException("scale", scale + " is not a number");
        }
    }

    /** The checks of start and end alone: a server makes them before it decodes a request's images. */
    public static void checkSpan(double start, double end) {
        if (!(start >= 0 && start < 1)) {
            throw new InvalidRequestException("start", start + " is outside [0, end) (0 ≤ start < end ≤ 1)");
        }
        if (!(end > start && end <= 1)) {
            throw new InvalidRequestException("end", end + " is outside (start, 1] with start " + start
                    + " (0 ≤ start < end ≤ 1)");
        }
    }

    /** The same unit run by {@code controlNet} (a server checks a unit before its model is loaded). */
    public ControlUnit withModel(ControlNetModel controlNet) {
        return new ControlUnit(controlNet, image, scale, guessMode, start, end);
    }

    /** The same unit on another control image. */
    public ControlUnit withImage(HostTensor controlImage) {
        return new ControlUnit(model, controlImage, scale, guessMode, start, end);
    }

    /** The reference's {@code controlnet_keep}: whether the unit acts at loop step {@code i} of {@code total}. */
    public boolean activeAt(int i, int total) {
        return !((double) i / total < start || (double) (i + 1) / total > end);
    }
}
