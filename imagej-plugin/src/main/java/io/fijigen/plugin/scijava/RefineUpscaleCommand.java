package io.fijigen.plugin.scijava;

import ij.ImagePlus;
import io.fijigen.plugin.RefineUpscaleAction;
import io.fijigen.plugin.RefineUpscaleOptions;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * "Refine Upscale..." for scripts: {@code image} (or its selection's bounds) enlarged by {@code factor}
 * and repainted tile by tile by {@code model}; PSNR and SSIM against the input in the Log and the Info.
 */
@Plugin(type = Command.class, headless = true, label = "fijigen: Refine Upscale")
public final class RefineUpscaleCommand extends DiffusionCommand {
    @Parameter(persist = false, description = "the image to refine")
    ImagePlus image;
    @Parameter(persist = false, required = false, description = "the tile ControlNet's model id; empty: none")
    String controlNet = "";
    @Parameter(persist = false, required = false, description = "output size as a multiple of the input's, in (0, 8]")
    double factor = 2;
    @Parameter(persist = false, required = false, description = "the share of each tile's schedule that runs, (0, 1]")
    double strength = 0.35;
    @Parameter(persist = false, required = false, description = "tile side in output pixels; 0: the model's size")
    int tile;
    @Parameter(persist = false, required = false, description = "tile overlap in output pixels; -1: a quarter of the tile")
    int tileOverlap = -1;
    @Parameter(type = ItemIO.OUTPUT)
    ImagePlus result;

    @Override
    public void run() {
        RefineUpscaleOptions options = new RefineUpscaleOptions(model, controlNet, factor, strength, tile,
                tileOverlap < 0 ? null : tileOverlap, prompt, negativePrompt, steps, guidance(), seed, grey());
        connected(client -> result = onPlanes(client, image, options.grey().channelAsGrey(),
                () -> new RefineUpscaleAction(client).run(options, image, null),
                planeSeed -> RefineUpscaleAction.job(options.withSeed(planeSeed), image)));
    }
}
