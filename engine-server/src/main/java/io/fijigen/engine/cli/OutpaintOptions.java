package io.fijigen.engine.cli;

import picocli.CommandLine.Option;

/** Outpainting on the command line: how the init image's canvas grows; the mask options apply to its border. */
final class OutpaintOptions {
    @Option(names = "--outpaint", required = true, paramLabel = "L,T,R,B", description = "grow the"
            + " init image by these pixels on the left, top, right and bottom and paint the new border; the mask"
            + " options (--mask-blur, ...) apply to it")
    String sides;

    /** The four sides as given (the engine checks their values). */
    int[] sides() {
        String[] values = sides.split(",", -1);
        if (values.length != 4) {
            throw new IllegalArgumentException("--outpaint takes L,T,R,B (four pixel counts), got '" + sides + "'");
        }
        int[] pixels = new int[4];
        for (int i = 0; i < 4; i++) {
            try {
                pixels[i] = Integer.parseInt(values[i].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--outpaint takes L,T,R,B (four pixel counts); '" + values[i]
                        + "' is not a whole number");
            }
        }
        return pixels;
    }

    @Option(names = "--outpaint-fill", paramLabel = "edge|noise|blur", description = "what the new pixels hold before"
            + " they are painted, seen where --strength is below 1: edge (the image's border replicated, default),"
            + " noise (uniform, from the seed) or blur (edge, then blurred)")
    String fill;

    @Option(names = "--outpaint-overlap", paramLabel = "PX", description = "pixels of the image repainted along each"
            + " side that grows (default ${DEFAULT-VALUE})")
    int overlap;
}
