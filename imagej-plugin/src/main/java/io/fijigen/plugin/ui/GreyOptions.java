package io.fijigen.plugin.ui;

/**
 * How an image that is not RGB goes to the engine: 8-, 16- and 32-bit images go as grey through
 * the normalisation; a composite (multi-channel) image goes as its RGB rendering, as ImageJ shows
 * it, or one channel goes as a grey image.
 *
 * @param normalisation the rule that maps grey values to the engine's 0..1 and back
 * @param channelAsGrey composite images: a channel (the current one, unless the caller names
 *     another) as a grey image; false: the composite's RGB rendering
 */
public record GreyOptions(Normalisation normalisation, boolean channelAsGrey) {
    /** The composite choice's labels, the dialog's and the macro's words. */
    public static final String RGB_RENDERING = "RGB rendering";
    public static final String CHANNEL_AS_GREY = "channel as grey";
    /** The display range; composites as their RGB rendering. */
    public static final GreyOptions DEFAULT = new GreyOptions(Normalisation.DISPLAY_RANGE, false);

    public GreyOptions {
        if (normalisation == null) {
            throw new IllegalArgumentException("choose a normalisation");
        }
    }

    /**
     * The options as the dialogs and the scripts give them, by their labels.
     *
     * @throws IllegalArgumentException naming the field whose value is none of its labels
     */
    public static GreyOptions of(String rule, double lower, double upper, String composite) {
        boolean channel = CHANNEL_AS_GREY.equalsIgnoreCase(composite.strip());
        if (!channel && !RGB_RENDERING.equalsIgnoreCase(composite.strip())) {
            throw new IllegalArgumentException("composite: '" + composite + "' is neither '" + RGB_RENDERING + "' nor '"
                    + CHANNEL_AS_GREY + "'");
        }
        return new GreyOptions(new Normalisation(Normalisation.Rule.of(rule), lower, upper), channel);
    }
}
