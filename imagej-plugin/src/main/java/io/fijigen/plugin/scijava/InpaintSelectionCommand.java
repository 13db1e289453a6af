package io.fijigen.plugin.scijava;

import ij.ImagePlus;
import io.fijigen.plugin.InpaintAction;
import io.fijigen.plugin.InpaintOptions;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** "Inpaint Selection..." for scripts: repaints {@code image}'s selection into a layer on it. */
@Plugin(type = Command.class, headless = true, label = "fijigen: Inpaint Selection")
public final class InpaintSelectionCommand extends DiffusionCommand {
    @Parameter(persist = false, description = "the image; its selection is repainted")
    ImagePlus image;
    @Parameter(persist = false, required = false, description = "feather of the paste-back, pixels")
    int maskBlur = 4;
    @Parameter(persist = false, required = false, description = "pixels the selection grows by first")
    int maskGrow;
    @Parameter(persist = false, required = false, description = "generate the surroundings at width × height")
    boolean onlyMasked;
    @Parameter(persist = false, required = false, description = "context around the selection, pixels")
    int padding = 32;
    @Parameter(persist = false, required = false)
    double strength = 1.0;
    @Parameter(type = ItemIO.OUTPUT, description = "the image holding the new layer (a new stack for several images)")
    ImagePlus result;

    @Override
    public void run() {
        InpaintOptions options = new InpaintOptions(generation(), maskBlur, maskGrow, onlyMasked, padding, strength,
                0, 0, grey());
        connected(client -> result = onPlanes(client, image, options.grey().channelAsGrey(),
                () -> new InpaintAction(client).run(options, image, null),
                planeSeed -> InpaintAction.job(options.withSeed(planeSeed), image)));
    }
}
