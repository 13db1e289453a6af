package io.fijigen.engine.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * One ControlNet unit on the command line: {@code --controlnet DIR} and the options after it.
 * Defaults are field initialisers: picocli applies {@code defaultValue} to repeated groups before
 * it has created them.
 */
final class ControlNetOptions {
    @Option(names = "--controlnet", required = true, paramLabel = "DIR", description = "a ControlNet model folder or"
            + " .safetensors file in the original layout (with --server, its id on the server); starts a unit"
            + " (repeat for several)")
    Path model;

    @Option(names = "--control-image", paramLabel = "IMG", description = "the unit's source image (default: the init"
            + " image); an image file or FILE.safetensors#NAME")
    String image;

    @Option(names = "--canny", paramLabel = "LOW,HIGH", split = ",", arity = "1",
            description = "use the Canny edges of the source image (thresholds), not the image itself")
    double[] canny;

    @Option(names = "--controlnet-scale", description = "conditioning scale (default ${DEFAULT-VALUE})")
    float scale = 1.0f;

    @Option(names = "--guess-mode", description = "control only the prompt's half of the guidance batch")
    boolean guessMode;

    @Option(names = "--control-start", description = "fraction of the steps before which the"
            + " unit is off (default ${DEFAULT-VALUE})")
    double start = 0.0;

    @Option(names = "--control-end", description = "fraction of the steps after which the unit"
            + " is off (default ${DEFAULT-VALUE})")
    double end = 1.0;
}
