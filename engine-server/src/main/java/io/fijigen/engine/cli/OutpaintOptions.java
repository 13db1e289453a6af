package io.fijigen.engine.cli;

import picocli.CommandLine.Option;

/** Outpainting on the command line: how the init image's canvas grows; the mask options apply to its border. */
final class OutpaintOptions {
    @Option(names = "--outpaint", required = true, split = ",", paramLabel = "L,T,R,B", description = "grow the"
            + " init image by these pixels on the left, top, right and bottom and paint the new border; the mask"
            + " options (--mask-blur, ...) apply to it")
    int[] sides;

    @Option(names = "--outpaint-fill", paramLabel = "edge|noise|blur", description = "what the new pixels hold before"
            + " they are painted, seen where --strength is below 1: edge (the image's border replicated, default),"
            + " noise (uniform, from the seed) or blur (edge, then blurred)")
    String fill;

    @Option(names = "--outpaint-overlap", paramLabel = "PX", description = "pixels of the image repainted along each"
            + " side that grows (default ${DEFAULT-VALUE})")
    int overlap;
}
