package io.fijigen.plugin;

import ij.ImagePlus;
import io.fijigen.plugin.ui.Labelled;
import java.util.ArrayList;
import java.util.List;

/**
 * Which planes of an image a command processes, as its dialog's <em>Process</em> choice says: the
 * current one, all of them, or a range of channels, slices and frames (ImageJ's C, Z and T; a plain
 * stack is slices, a time series frames, as ImageJ sees them).
 *
 * @param mode what to process
 * @param channels the channels of a {@link Mode#RANGE}, as ImageJ's Duplicate writes them ("1-3", "2";
 *     empty: all)
 * @param slices the slices (Z) of a range, as {@code channels}
 * @param frames the frames (T) of a range, as {@code channels}
 */
public record SliceRange(Mode mode, String channels, String slices, String frames) {

    /** The dialog's choices. */
    public enum Mode implements Labelled {
        CURRENT("current slice"),
        ALL("all slices"),
        RANGE("range");

        private final String label;

        Mode(String label) {
            this.label = label;
        }

        @Override
        public String label() {
            return label;
        }

        /** @throws IllegalArgumentException for a label that is none of the modes' */
        public static Mode of(String label) {
            return Labelled.of(Mode.class, "process", label);
        }
    }

    /** One plane, by ImageJ's 1-based channel, slice and frame. */
    public record Position(int channel, int slice, int frame) {}

    /** The planes of a range, and how many of each dimension the result has. */
    public record Planes(List<Position> positions, int channels, int slices, int frames) {
        public int size() {
            return positions.size();
        }
    }

    public static final SliceRange CURRENT = new SliceRange(Mode.CURRENT, "", "", "");

    public SliceRange {
        channels = channels == null ? "" : channels.strip();
        slices = slices == null ? "" : slices.strip();
        frames = frames == null ? "" : frames.strip();
    }

    /** All planes of an image. */
    public static SliceRange all() {
        return new SliceRange(Mode.ALL, "", "", "");
    }

    /**
     * The planes of {@code imp} this range names, in ImageJ's stack order (channel fastest, then
     * slice, then frame), with the result's dimensions.
     *
     * @param channelsApart whether channels are processed one by one; false when an image's channels
     *     go as one rendering, so only the current channel's position is listed per slice and frame
     * @throws IllegalArgumentException for a range outside the image, naming the dimension and its size
     */
    public Planes planes(ImagePlus imp, boolean channelsApart) {
        int[] c;
        int[] z;
        int[] t;
        switch (mode) {
            case CURRENT -> {
                c = new int[] {imp.getC(), imp.getC()};
                z = new int[] {imp.getZ(), imp.getZ()};
                t = new int[] {imp.getT(), imp.getT()};
            }
            case ALL -> {
                c = new int[] {1, imp.getNChannels()};
                z = new int[] {1, imp.getNSlices()};
                t = new int[] {1, imp.getNFrames()};
            }
            default -> {
                c = span("channels", channels, imp.getNChannels());
                z = span("slices", slices, imp.getNSlices());
                t = span("frames", frames, imp.getNFrames());
            }
        }
        if (!channelsApart) {
            c = new int[] {imp.getC(), imp.getC()};
        }
        List<Position> positions = new ArrayList<>();
        for (int frame = t[0]; frame <= t[1]; frame++) {
            for (int slice = z[0]; slice <= z[1]; slice++) {
                for (int channel = c[0]; channel <= c[1]; channel++) {
                    positions.add(new Position(channel, slice, frame));
                }
            }
        }
        return new Planes(List.copyOf(positions), c[1] - c[0] + 1, z[1] - z[0] + 1, t[1] - t[0] + 1);
    }

    /** "a-b", "a" or empty (all) within 1..size, as {first, last}. */
    private static int[] span(String dimension, String text, int size) {
        if (text.isEmpty()) {
            return new int[] {1, size};
        }
        String[] ends = text.split("-", -1);
        try {
            int first = Integer.parseInt(ends[0].strip());
            int last = ends.length == 2 ? Integer.parseInt(ends[1].strip()) : first;
            if (ends.length > 2 || first < 1 || last < first || last > size) {
                throw new NumberFormatException();
            }
            return new int[] {first, last};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(dimension + ": '" + text + "' is not a range within 1-" + size
                    + " (write first-last, e.g. 1-" + size + ", or one number)");
        }
    }
}
