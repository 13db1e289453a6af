package io.fijigen.plugin.scijava;

import ij.ImagePlus;
import io.fijigen.plugin.ExpandAction;
import io.fijigen.plugin.ExpandOptions;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** "Expand Canvas..." for scripts: {@code image} grown by the engine into a new image whose selection is the border. */
@Plugin(type = Command.class, headless = true, label = "fijigen: Expand Canvas")
public final class ExpandCanvasCommand extends DiffusionCommand {
    @Parameter(persist = false, description = "the image to expand")
    ImagePlus image;
    @Parameter(persist = false, required = false, description = "pixels added on the left")
    int left;
    @Parameter(persist = false, required = false, description = "pixels added on top")
    int top;
    @Parameter(persist = false, required = false, description = "pixels added on the right")
    int right;
    @Parameter(persist = false, required = false, description = "pixels added at the bottom")
    int bottom;
    @Parameter(persist = false, required = false, choices = {"edge", "noise", "blur"},
            description = "the new pixels before painting")
    String fill = "edge";
    @Parameter(persist = false, required = false, description = "pixels of the image repainted along a side that grows")
    int overlap = 8;
    @Parameter(persist = false, required = false, description = "feather of the paste-back, pixels")
    int maskBlur = 4;
    @Parameter(persist = false, required = false)
    double strength = 1.0;
    @Parameter(type = ItemIO.OUTPUT, description = "the grown image (a stack for several images)")
    ImagePlus result;

    @Override
    public void run() {
        ExpandOptions options = new ExpandOptions(generation(), left, top, right, bottom, fill, overlap, maskBlur,
                strength, grey());
        connected(client -> result = onPlanes(client, image, options.grey().channelAsGrey(),
                () -> new ExpandAction(client).run(options, image, null),
                planeSeed -> ExpandAction.job(options.withSeed(planeSeed), image)));
    }
}
