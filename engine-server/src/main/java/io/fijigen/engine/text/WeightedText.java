package io.fijigen.engine.text;

/**
 * One run of a parsed prompt: text with the weight its tokens' encodings are multiplied by, or a
 * {@code BREAK} that starts a new 77-token chunk.
 *
 * @param weight the product of the enclosing brackets' factors, in double precision as the web UI
 *     multiplies them (so {@code ((a))} is 1.2100000000000002, not 1.21)
 */
public record WeightedText(String text, double weight, boolean chunkBreak) {

    public static final WeightedText BREAK = new WeightedText("BREAK", 1.0, true);

    public static WeightedText of(String text, double weight) {
        return new WeightedText(text, weight, false);
    }
}
