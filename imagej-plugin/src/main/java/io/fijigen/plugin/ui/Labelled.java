package io.fijigen.plugin.ui;

import java.util.ArrayList;
import java.util.List;

/** A constant of an enum that a dialog offers by its label, which is the dialog's and the macro's word. */
public interface Labelled {
    String label();

    /** The labels of {@code type}'s constants, in order. */
    static <E extends Enum<E> & Labelled> List<String> labels(Class<E> type) {
        List<String> labels = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            labels.add(constant.label());
        }
        return labels;
    }

    /**
     * The constant of {@code type} labelled {@code label}, case and surrounding spaces aside.
     *
     * @param key the dialog's field, which the message names
     * @throws IllegalArgumentException naming the field and the labels there are
     */
    static <E extends Enum<E> & Labelled> E of(Class<E> type, String key, String label) {
        for (E constant : type.getEnumConstants()) {
            if (constant.label().equalsIgnoreCase(label.strip())) {
                return constant;
            }
        }
        throw new IllegalArgumentException(key + ": '" + label + "' is none of " + String.join(", ", labels(type)));
    }
}
