package io.fijigen.plugin.scijava;

import ij.ImagePlus;
import io.fijigen.plugin.GenerateAction;
import io.fijigen.plugin.GenerateOptions;
import io.fijigen.plugin.Inserted;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** "Generate..." for scripts: txt2img, or img2img from {@code image} (result: a layer on it). */
@Plugin(type = Command.class, headless = true, label = "fijigen: Generate")
public final class GenerateCommand extends DiffusionCommand {
    @Parameter(persist = false, required = false, description = "img2img source; none: txt2img")
    ImagePlus image;
    @Parameter(persist = false, required = false, description = "0: the init image's, else the model's default")
    int width;
    @Parameter(persist = false, required = false, description = "0: as width")
    int height;
    @Parameter(persist = false, required = false, description = "img2img strength in (0, 1]")
    double strength = 0.8;
    @Parameter(type = ItemIO.OUTPUT, description = "the new image, or the image holding the new layer")
    ImagePlus result;

    @Override
    public void run() {
        GenerateOptions options = new GenerateOptions(generation(), width, height,
                image != null ? strength : null, image != null, grey());
        connected(client -> result = image == null
                ? txt2img(client, options)
                : onPlanes(client, image, options.grey().channelAsGrey(),
                        () -> new GenerateAction(client).run(options, image, null),
                        planeSeed -> GenerateAction.job(options.withSeed(planeSeed), image)));
    }

    private ImagePlus txt2img(io.fijigen.plugin.client.EngineClient client, GenerateOptions options)
            throws io.fijigen.plugin.client.EngineException {
        Inserted inserted = new GenerateAction(client).run(options, null, null);
        statisticsImage = inserted.statistics();
        return inserted.image();
    }
}
