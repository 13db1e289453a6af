package io.fijigen.plugin.scijava;

import ij.ImagePlus;
import ij.WindowManager;
import io.fijigen.plugin.GenerateAction;
import io.fijigen.plugin.GenerateOptions;
import io.fijigen.plugin.HiresFix;
import io.fijigen.plugin.Inserted;
import io.fijigen.plugin.RoiRegions;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * "Generate..." for scripts: txt2img (with the hires fix at a hiresScale above 1), or img2img from
 * {@code image} (result: a layer on it); with {@code regions}, the ROI Manager's {@code prompt:}
 * entries as regional prompts, as the ImageJ1 command takes them, drawn on {@code image} (txt2img:
 * on the active image, if any).
 */
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
    @Parameter(persist = false, required = false, description = "txt2img hires fix: second-pass size as a multiple"
            + " of the first's, in (1, 8]; 0: no hires fix")
    double hiresScale;
    @Parameter(persist = false, required = false, description = "hires fix: second-pass steps; 0: as steps")
    int hiresSteps;
    @Parameter(persist = false, required = false, description = "hires fix: second-pass strength in (0, 1]")
    double hiresStrength = HiresFix.DEFAULT_STRENGTH;
    @Parameter(persist = false, required = false, description = "hires fix: latent, latent-nearest, lanczos or an"
            + " upscaler model id")
    String hiresUpscaler = HiresFix.BUILT_IN.get(0);
    @Parameter(persist = false, required = false, label = "Regions from the ROI Manager", description = "the ROI"
            + " Manager's entries named \"prompt: TEXT\" or \"prompt: TEXT @WEIGHT\" as regional prompts")
    boolean regions;
    @Parameter(type = ItemIO.OUTPUT, description = "the new image, or the image holding the new layer")
    ImagePlus result;

    @Override
    public void run() {
        GenerateOptions options = options();
        connected(client -> result = image == null
                ? txt2img(client, options)
                : onPlanes(client, image, options.grey().channelAsGrey(),
                        () -> new GenerateAction(client).run(options, image, null),
                        planeSeed -> GenerateAction.job(options.withSeed(planeSeed), image)));
    }

    /** What the parameters ask for, with the ROI Manager's regions where {@code regions} says so. */
    private GenerateOptions options() {
        GenerateOptions options = new GenerateOptions(generation(), width, height,
                image != null ? strength : null, image != null, grey(),
                hiresScale == 0 ? null : new HiresFix(hiresScale, hiresSteps, hiresStrength, hiresUpscaler));
        return regions ? GenerateAction.withRegions(options, RoiRegions.inRoiManager(),
                image != null ? image : WindowManager.getCurrentImage()) : options;
    }

    private ImagePlus txt2img(io.fijigen.plugin.client.EngineClient client, GenerateOptions options)
            throws io.fijigen.plugin.client.EngineException {
        Inserted inserted = new GenerateAction(client).run(options, null, null);
        statisticsImage = inserted.statistics();
        return inserted.image();
    }
}
