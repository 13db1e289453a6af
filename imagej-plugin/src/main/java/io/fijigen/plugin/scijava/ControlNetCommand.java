package io.fijigen.plugin.scijava;

import ij.ImagePlus;
import io.fijigen.plugin.ControlNetAction;
import io.fijigen.plugin.ControlNetOptions;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** "ControlNet from Image..." for scripts: a new image guided by {@code image}'s Canny edges. */
@Plugin(type = Command.class, headless = true, label = "fijigen: ControlNet from Image")
public final class ControlNetCommand extends DiffusionCommand {
    @Parameter(persist = false, description = "the image whose edges guide")
    ImagePlus image;
    @Parameter(persist = false, description = "the engine's canny ControlNet id")
    String controlNet;
    @Parameter(persist = false, required = false)
    double lowThreshold = 100;
    @Parameter(persist = false, required = false)
    double highThreshold = 200;
    @Parameter(persist = false, required = false)
    double controlScale = 1.0;
    @Parameter(persist = false, required = false)
    boolean guessMode;
    @Parameter(type = ItemIO.OUTPUT)
    ImagePlus result;

    @Override
    public void run() {
        ControlNetOptions options = new ControlNetOptions(generation(), controlNet, lowThreshold, highThreshold,
                controlScale, guessMode, grey());
        connected(client -> {
            ControlNetAction action = new ControlNetAction(client);
            result = onPlanes(client, image, options.grey().channelAsGrey(), () -> action.run(options, image, null),
                    planeSeed -> action.job(options.withSeed(planeSeed), image));
        });
    }
}
