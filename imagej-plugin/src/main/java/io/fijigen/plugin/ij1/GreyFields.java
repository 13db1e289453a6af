package io.fijigen.plugin.ij1;

import io.fijigen.plugin.ui.GreyOptions;
import io.fijigen.plugin.ui.Labelled;
import io.fijigen.plugin.ui.Normalisation;
import java.util.List;

/**
 * The fields of every dialog that sends the active image, on how a grey or composite image goes:
 * the normalisation ({@code normalisation=[display range]} or {@code normalisation=percentiles}),
 * its percentiles ({@code lower=1 upper=99.8}) and the composite choice
 * ({@code composite=[RGB rendering]} or {@code composite=[channel as grey]}). A macro that leaves
 * them out gets these defaults; RGB images ignore them.
 */
final class GreyFields {
    private GreyFields() {}

    static void add(CommandDialog dialog) {
        dialog.addChoice("Normalisation (grey images)",
                Labelled.labels(Normalisation.Rule.class),
                Normalisation.Rule.DISPLAY_RANGE.label());
        dialog.addNumber("Lower percentile (%)", Normalisation.DEFAULT_LOWER, 1);
        dialog.addNumber("Upper percentile (%)", Normalisation.DEFAULT_UPPER, 1);
        dialog.addChoice("Composite images", List.of(GreyOptions.RGB_RENDERING, GreyOptions.CHANNEL_AS_GREY),
                GreyOptions.RGB_RENDERING);
    }

    /**
     * The fields {@link #add} added, read.
     *
     * @throws IllegalArgumentException naming the field whose value is wrong
     */
    static GreyOptions read(CommandDialog dialog) {
        return GreyOptions.of(dialog.nextChoice(), dialog.nextNumber(), dialog.nextNumber(), dialog.nextChoice());
    }
}
