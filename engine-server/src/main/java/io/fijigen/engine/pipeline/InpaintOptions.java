package io.fijigen.engine.pipeline;

/**
 * How an editor inpaints a selection, around the reference pipeline.
 *
 * @param blur feather of the paste-back in pixels: the mask's edge blends over this width
 * @param grow pixels the mask is grown by before anything else
 * @param onlyMasked generate only the mask's bounding box (plus {@code padding}) at the request's
 *     size, then scale it back and paste it: detail where the user asked for it
 * @param padding context around the mask in "only masked" mode, in pixels
 * @param pasteBack composite the result into the original so that pixels beyond the feather are
 *     the input's own; off returns the decoded image as the reference does
 */
public record InpaintOptions(int blur, int grow, boolean onlyMasked, int padding, boolean pasteBack) {
    /** As web UIs default: 4 px feather, no grow, whole picture, 32 px padding, pasted back. */
    public static final InpaintOptions DEFAULT = new InpaintOptions(RequestField.MASK_BLUR.defaultInt(),
            RequestField.MASK_GROW.defaultInt(), false, RequestField.PADDING.defaultInt(), true);

    /** The reference pipeline's output as is (what the parity cases compare). */
    public static final InpaintOptions REFERENCE = new InpaintOptions(0, 0, false, 0, false);

    /** Beyond the table's 1024 pixels of blur, grow or padding, the "selection" is the whole image anyway. */
    public InpaintOptions {
        RequestField.MASK_BLUR.check("mask_blur", blur);
        RequestField.MASK_GROW.check("mask_grow", grow);
        RequestField.PADDING.check("padding", padding);
    }
}
