package io.fijigen.plugin.scijava;

import ij.ImagePlus;
import io.fijigen.plugin.UpscaleAction;
import io.fijigen.plugin.UpscaleOptions;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** "Upscale x4..." for scripts: {@code image} (or its selection's bounds) four times larger. */
@Plugin(type = Command.class, headless = true, label = "fijigen: Upscale x4")
public final class UpscaleCommand extends DiffusionCommand {
    @Parameter(persist = false, description = "the image to upscale")
    ImagePlus image;
    @Parameter(persist = false, required = false, description = "noise added first, 0..350")
    int noiseLevel = 20;
    @Parameter(type = ItemIO.OUTPUT)
    ImagePlus result;

    @Override
    public void run() {
        UpscaleOptions options = new UpscaleOptions(model, prompt, negativePrompt, steps, guidance(), seed, noiseLevel,
                grey());
        connected(client -> result = onPlanes(client, image, options.grey().channelAsGrey(),
                () -> new UpscaleAction(client).run(options, image, null),
                planeSeed -> UpscaleAction.job(options.withSeed(planeSeed), image)));
    }
}
