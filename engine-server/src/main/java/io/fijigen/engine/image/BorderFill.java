package io.fijigen.engine.image;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What the new pixels of an expanded canvas hold before they are painted. */
public enum BorderFill {
    /** Each new pixel is the nearest pixel of the image: its border pixels replicated outwards. */
    EDGE,
    /** Uniform random values in [0, 1] per pixel and channel, from a generator seeded with the job's seed. */
    NOISE,
    /** {@link #EDGE}, then blurred strongly, so the border holds the image's colours without its edge's streaks. */
    BLUR;

    /** The name the command line and the README use: {@code edge}, {@code noise}, {@code blur}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BorderFill fromId(String id) {
        return Arrays.stream(values()).filter(fill -> fill.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown fill '" + id + "' (one of "
                        + Arrays.stream(values()).map(BorderFill::id).collect(Collectors.joining(", ")) + ")"));
    }
}
