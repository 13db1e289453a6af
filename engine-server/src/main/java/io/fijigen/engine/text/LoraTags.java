package io.fijigen.engine.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Web UIs' LoRA tags in a prompt: {@code <lora:name>}, {@code <lora:name:weight>},
 * {@code <lora:name:te_weight:unet_weight>}, or with named weights {@code te=…}, {@code unet=…}.
 * As there, the text-encoder weight defaults to 1 and the UNet weight to the text-encoder weight,
 * and the tags are cut out of the prompt (the text around them stays as it is) before tokenizing.
 */
public final class LoraTags {
    private static final Pattern TAG = Pattern.compile("<lora:([^>]*)>");

    /** One tag: the LoRA's name as written and its weights. */
    public record Tag(String text, String name, double textEncoderWeight, double unetWeight) {}

    /** The prompt without its tags, and the tags in prompt order. */
    public record Parsed(String prompt, List<Tag> tags) {}

    private LoraTags() {}

    /**
     * @throws IllegalArgumentException naming the tag, when its name is empty or a weight is not a
     *     finite number or the tag has more than two weights
     */
    public static Parsed parse(String prompt) {
        List<Tag> tags = new ArrayList<>();
        Matcher matcher = TAG.matcher(prompt);
        while (matcher.find()) {
            tags.add(tag(matcher.group(), matcher.group(1).split(":", -1)));
        }
        return new Parsed(tags.isEmpty() ? prompt : matcher.replaceAll(""), List.copyOf(tags));
    }

    private static Tag tag(String text, String[] items) {
        String name = items[0].trim();
        if (name.isEmpty()) {
            throw new IllegalArgumentException(text + ": no LoRA name (write <lora:NAME:WEIGHT>)");
        }
        List<Double> positional = new ArrayList<>();
        Double te = null;
        Double unet = null;
        for (int i = 1; i < items.length; i++) {
            String item = items[i].trim();
            if (item.startsWith("te=")) {
                te = number(text, item.substring(3));
            } else if (item.startsWith("unet=")) {
                unet = number(text, item.substring(5));
            } else {
                positional.add(number(text, item));
            }
        }
        if (positional.size() > 2) {
            throw new IllegalArgumentException(text + ": at most two weights (text encoder, UNet), got "
                    + positional.size());
        }
        double textEncoder = te != null ? te : positional.isEmpty() ? 1.0 : positional.get(0);
        double unetWeight = unet != null ? unet : positional.size() > 1 ? positional.get(1) : textEncoder;
        return new Tag(text, name, textEncoder, unetWeight);
    }

    private static double number(String tag, String text) {
        try {
            double value = Double.parseDouble(text);
            if (Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(tag + ": weight '" + text + "' is not a number");
    }
}
