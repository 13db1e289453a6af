package io.fijigen.plugin.ij1;

import io.fijigen.plugin.PlanesRun;
import io.fijigen.plugin.SliceRange;
import io.fijigen.plugin.ui.Labelled;

/**
 * The fields of every dialog that sends the active image, on which of its planes: {@code
 * process=[current slice]}, {@code [all slices]} or {@code range} with {@code channels=1-2 slices=3-5
 * frames=1-4} (as ImageJ's Duplicate writes ranges; empty: all), the seeds of the planes ({@code
 * seeds=[same for all]} or {@code seeds=[seed + index]}) and {@code skip} to go on past a failed
 * plane. A macro that leaves them out processes the current plane, as before.
 */
final class StackFields {
    private StackFields() {}

    static void add(CommandDialog dialog) {
        dialog.addChoice("Process", Labelled.labels(SliceRange.Mode.class), SliceRange.Mode.CURRENT.label());
        dialog.addString("Channels (range, e.g. 1-2; empty: all)", "", 8);
        dialog.addString("Slices (range)", "", 8);
        dialog.addString("Frames (range)", "", 8);
        dialog.addChoice("Seeds (of the planes)", Labelled.labels(PlanesRun.Seeds.class), PlanesRun.Seeds.SAME.label());
        dialog.addCheckbox("Skip failed planes (go on with the rest)", false);
    }

    /**
     * The fields {@link #add} added, read.
     *
     * @throws IllegalArgumentException naming the field whose value is wrong
     */
    static PlanesRun.Options read(CommandDialog dialog) {
        SliceRange.Mode mode = SliceRange.Mode.of(dialog.nextChoice());
        SliceRange range = new SliceRange(mode, dialog.nextString(), dialog.nextString(), dialog.nextString());
        return new PlanesRun.Options(range, PlanesRun.Seeds.of(dialog.nextChoice()), dialog.nextBoolean());
    }
}
