package io.fijigen.engine.pipeline;

/**
 * SDXL's micro-conditioning, diffusers' {@code original_size}, {@code crops_coords_top_left},
 * {@code target_size} and their {@code negative_*} counterparts: sizes the UNet is told about, given
 * to it as {@code add_time_ids}. A null part takes its default: original and target the output
 * size, crop (0, 0), and each negative part its positive one.
 */
public record MicroConditioning(Size originalSize, Offset cropTopLeft, Size targetSize, Size negativeOriginalSize,
        Offset negativeCropTopLeft, Size negativeTargetSize) {
    /** Every part at its default. */
    public static final MicroConditioning DEFAULT = new MicroConditioning(null, null, null, null, null, null);

    /** A width and height in pixels. */
    public record Size(int width, int height) {
        public Size {
            RequestField.CONDITIONING_SIDE.check("width", width);
            RequestField.CONDITIONING_SIDE.check("height", height);
        }
    }

    /** A crop's top-left corner in pixels. */
    public record Offset(int top, int left) {
        public Offset {
            RequestField.CONDITIONING_OFFSET.check("top", top);
            RequestField.CONDITIONING_OFFSET.check("left", left);
        }
    }

    /** Whether any part is given: only SDXL models take them. */
    public boolean isSet() {
        return !equals(DEFAULT);
    }

    /** The request field of the first part given, for errors about the parts as a whole. */
    public String firstField() {
        String[] fields = {"original_size", "crop_top_left", "target_size", "negative_original_size",
            "negative_crop_top_left", "negative_target_size"};
        Object[] parts = {originalSize, cropTopLeft, targetSize, negativeOriginalSize, negativeCropTopLeft,
            negativeTargetSize};
        for (int i = 0; i < parts.length; i++) {
            if (parts[i] != null) {
                return fields[i];
            }
        }
        throw new IllegalStateException("no part given");
    }

    /**
     * diffusers' {@code add_time_ids} for an image of {@code width × height}: {@code [original
     * height, original width, crop top, crop left, target height, target width]}, for the prompt or,
     * with {@code negative}, for the negative prompt.
     */
    public float[] timeIds(int width, int height, boolean negative) {
        Size output = new Size(width, height);
        Size original = or(originalSize, output);
        Offset crop = or(cropTopLeft, new Offset(0, 0));
        Size target = or(targetSize, output);
        if (negative) {
            original = or(negativeOriginalSize, original);
            crop = or(negativeCropTopLeft, crop);
            target = or(negativeTargetSize, target);
        }
        return new float[] {original.height(), original.width(), crop.top(), crop.left(), target.height(),
                target.width()};
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
