package io.fijigen.engine.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --region MASK_IMG:PROMPT[:WEIGHT]} (repeatable): regional prompts, each a grey mask file
 * at the image's size, its prompt and its weight (the engine's default 1 when not given).
 */
final class RegionOptions {
    @Option(names = "--region", paramLabel = "MASK_IMG:PROMPT[:WEIGHT]", description = "a regional prompt: where"
            + " the mask image is white (grey: partly) PROMPT governs instead of the prompt, weighed WEIGHT"
            + " against the others where regions overlap (default 1, in (0, 10]); repeat for several")
    List<String> regions = new ArrayList<>();

    /** One {@code --region} value; {@code weight} null when not given. */
    record Argument(String mask, String prompt, Double weight) {

        /**
         * The first colon ends the mask's path; a last {@code :number} is the weight, anything else
         * after the first colon is the prompt (colons included).
         */
        static Argument parse(String value) {
            int colon = value.indexOf(':');
            if (colon <= 0 || colon == value.length() - 1) {
                throw new IllegalArgumentException("--region takes MASK_IMG:PROMPT[:WEIGHT], got '" + value + "'");
            }
            String mask = value.substring(0, colon);
            String rest = value.substring(colon + 1);
            int last = rest.lastIndexOf(':');
            if (last > 0) {
                try {
                    double weight = Double.parseDouble(rest.substring(last + 1));
                    if (Double.isFinite(weight)) {
                        return new Argument(mask, rest.substring(0, last), weight);
                    }
                } catch (NumberFormatException e) {
                    // No weight: the colon is part of the prompt.
                }
            }
            return new Argument(mask, rest, null);
        }
    }
}
