package io.fijigen.engine.pipeline;

/**
 * The hires fix's second pass, as the A1111 web UI's txt2img "Hires. fix" options.
 *
 * @param scale second-pass size as a multiple of the first's, in (1, 8]
 * @param steps the second pass's denoising steps; 0 = the first pass's
 * @param strength the share of the second pass's schedule that runs, in (0, 1]
 */
public record HiresOptions(double scale, int steps, double strength, HiresUpscaler upscaler) {

    /**
     * A second-pass side: {@code round(side × scale)} to the nearest multiple of 8. The web UI
     * truncates ({@code int(width * hr_scale)}) and its latents then drop the remainder below 8;
     * here the image and its latents have one size, so an image-space upscale and the img2img of its
     * result read the same pixels.
     */
    public int side(int first) {
        return (int) Math.round(first * scale / 8) * 8;
    }

    public int steps(int firstSteps) {
        return steps == 0 ? firstSteps : steps;
    }

    public HiresOptions withUpscaler(HiresUpscaler value) {
        return new HiresOptions(scale, steps, strength, value);
    }

    /** The web UI's keys, as it writes them after the other parameters; "Hires steps" only where given, as it does. */
    String parameters() {
        return ", Hires upscale: " + FieldRange.number(scale)
                + (steps != 0 ? ", Hires steps: " + steps : "")
                + ", Hires upscaler: " + upscaler.webUiName();
    }
}
