package io.fijigen.engine.cli;

import io.fijigen.engine.pipeline.RequestField;
import io.fijigen.proto.client.LineScribble;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * One ControlNet unit on the command line: {@code --controlnet DIR} and the options after it.
 * Defaults are field initialisers, from the engine's table: picocli applies {@code defaultValue}
 * to repeated groups before it has created them (see {@link OptionDefaults#publish()}).
 */
final class ControlNetOptions {
    @Option(names = "--controlnet", required = true, paramLabel = "MODEL", description = "a ControlNet model folder or"
            + " .safetensors file in the original layout (with --server, its id on the server); starts a unit"
            + " (repeat for several)")
    Path model;

    @Option(names = "--control-image", paramLabel = "IMG", description = "the unit's source image (default: the init"
            + " image); an image file or FILE.safetensors#NAME")
    String image;

    @Option(names = "--control-roi", paramLabel = "FILE", description = "the unit's control image: the line"
            + " selections of an ImageJ ROI file (FILE.roi) or ROI Manager list (FILE.zip), white on black at the"
            + " generation size (for scribble ControlNets); other selections are skipped")
    Path roi;

    @Option(names = "--control-line-width", paramLabel = "PX", description = "--control-roi's line width in pixels"
            + " (default " + LineScribble.DEFAULT_WIDTH + ")")
    int lineWidth = LineScribble.DEFAULT_WIDTH;

    @Option(names = "--control-labels", paramLabel = "IMG", description = "the unit's control image: an 8-, 16-"
            + " or 32-bit label image in --palette's colours, label 0 black (for segmentation ControlNets)")
    Path labels;

    @Option(names = "--palette", paramLabel = "NAME", description = "--control-labels' colours: ade20k (label k is"
            + " ADE20K's class k - 1) or distinct (golden-angle hues) (default ade20k)")
    String palette = "ade20k";

    @Option(names = "--canny", paramLabel = "LOW,HIGH", split = ",", arity = "1",
            description = "use the Canny edges of the source image (thresholds), not the image itself")
    double[] canny;

    @Option(names = "--controlnet-scale", description = "conditioning scale (default"
            + " ${sys:fijigen.default.controlnet-scale})")
    float scale = (float) RequestField.CONTROL_SCALE.defaultValue();

    @Option(names = "--guess-mode", description = "control only the prompt's half of the guidance batch")
    boolean guessMode;

    @Option(names = "--control-start", description = "fraction of the steps before which the"
            + " unit is off (default ${sys:fijigen.default.control-start})")
    double start = RequestField.CONTROL_START.defaultValue();

    @Option(names = "--control-end", description = "fraction of the steps after which the unit"
            + " is off (default ${sys:fijigen.default.control-end})")
    double end = RequestField.CONTROL_END.defaultValue();
}
