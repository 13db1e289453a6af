package io.fijigen.engine.cli;

import picocli.CommandLine.Option;

/** Inpainting on the command line: the mask and how it, or an outpainting's border, is prepared and pasted back. */
final class MaskOptions {
    @Option(names = "--mask", paramLabel = "IMG", description = "inpaint: an image whose non-zero"
            + " pixels are repainted, or FILE.safetensors#NAME; needs --init-image (the other options need it or"
            + " --outpaint)")
    String mask;

    @Option(names = "--mask-blur", paramLabel = "PX", description = "feather of the paste-back,"
            + " in pixels (default ${DEFAULT-VALUE})")
    int blur;

    @Option(names = "--mask-grow", paramLabel = "PX", description = "grow the mask by this many"
            + " pixels first (default ${DEFAULT-VALUE})")
    int grow;

    @Option(names = "--only-masked", description = "generate only the mask's surroundings at full resolution, then"
            + " paste them back")
    boolean onlyMasked;

    @Option(names = "--padding", paramLabel = "PX", description = "with --only-masked: context"
            + " around the mask, in pixels (default ${DEFAULT-VALUE})")
    int padding;

    @Option(names = "--no-paste-back", description = "return the decoded image as the reference pipeline does,"
            + " instead of compositing it into the original")
    boolean noPasteBack;
}
