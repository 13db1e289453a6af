package io.fijigen.plugin.ij1;

import ij.ImagePlus;
import ij.WindowManager;
import io.fijigen.plugin.FolderRun;
import io.fijigen.plugin.GenerateAction;
import io.fijigen.plugin.GenerateOptions;
import io.fijigen.plugin.Generation;
import io.fijigen.plugin.HiresFix;
import io.fijigen.plugin.RoiRegions;
import io.fijigen.plugin.SliceRange;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.client.EngineException;
import io.fijigen.plugin.layers.LivePreview;
import io.fijigen.proto.v1.Capability;
import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Plugins › fijigen › Generate...: txt2img into a new image (with the hires fix, if asked), or img2img
 * from the active image (its current slice: RGB as shown, grey as grey, see {@link GreyFields}) into a
 * layer on it.
 */
public final class GeneratePlugin extends EngineCommand implements FolderCommand {
    static final String COMMAND = "Generate...";

    public GeneratePlugin() {
        super("Generate");
    }

    @Override
    void run(EngineClient client) throws EngineException {
        ImagePlus active = WindowManager.getCurrentImage();
        ServerModels models = new ServerModels(client.listModels());
        CommandDialog dialog = new CommandDialog(COMMAND);
        addFields(dialog, models, true);
        Optional<Planned<GenerateOptions>> read = dialog.show(shown -> new Planned<>(read(shown, models, true),
                StackFields.read(shown)));
        if (read.isEmpty()) {
            return;
        }
        GenerateOptions options = read.get().options();
        if (options.useActiveImage()) {
            active = activeImage("img2img");
            ImagePlus source = active;
            Optional<SliceRange.Planes> planes = severalPlanes(active, read.get().planes(),
                    options.grey().channelAsGrey(), options.generation().images());
            if (planes.isPresent()) {
                runPlanes(client, "Generate", active, planes.get(), read.get().planes(), options.generation().seed(),
                        options.generation().prompt(), rerun(COMMAND, active, dialog.macroOptions()),
                        seed -> GenerateAction.job(options.withSeed(seed), source).recordedAs(macro(COMMAND, dialog)));
                return;
            }
        }
        LivePreview preview = options.useActiveImage() && options.generation().previewEvery() > 0
                ? new LivePreview(active, new Rectangle(0, 0, active.getWidth(), active.getHeight()), null)
                : null;
        runAndPresent(client, "Generate", options.generation().prompt(), preview,
                rerun(COMMAND, options.useActiveImage() ? active : null, dialog.macroOptions()),
                GenerateAction.job(options, active).recordedAs(macro(COMMAND, dialog)));
    }

    @Override
    public String command() {
        return COMMAND;
    }

    /** Batch Folder's fields: img2img alone, each image of the folder the init image. */
    @Override
    public Optional<FolderRun.Command> ask(String title, ServerModels models, List<CommandDialog> shown) {
        return FolderCommand.askInOne(title, shown, dialog -> addFields(dialog, models, false),
                dialog -> readFields(dialog, models));
    }

    private static FolderRun.Command readFields(CommandDialog dialog, ServerModels models) {
        GenerateOptions options = read(dialog, models, false);
        return new FolderRun.Command(StackFields.read(dialog), options.generation().seed(),
                options.grey().channelAsGrey(), options.generation().images(),
                (client, imp, seed) -> GenerateAction.job(options.withSeed(seed), imp));
    }

    /** The command's fields; with {@code txt2img}, also txt2img's size and the choice of img2img. */
    private static void addFields(CommandDialog dialog, ServerModels models, boolean txt2img) {
        GenerationFields.add(dialog, models, models.with(Capability.CAPABILITY_TXT2IMG));
        if (txt2img) {
            GenerationFields.addSize(dialog, models, "Width (txt2img, 0: the model's)",
                    "Height (txt2img, 0: the model's)");
            dialog.addCheckbox("From active image (img2img)", false);
        }
        dialog.addNumber("Strength (img2img)", 0.8, 2);
        if (txt2img) {
            addHiresFields(dialog, models);
            addRegionFields(dialog);
        }
        GreyFields.add(dialog);
        StackFields.add(dialog);
    }

    /** The hires fix's fields; macro keys hires_scale, hires_steps, hires_strength, hires_upscaler. */
    private static void addHiresFields(CommandDialog dialog, ServerModels models) {
        dialog.addNumber("Hires_scale (txt2img, 0: no hires fix)", 0, 2);
        dialog.addNumber("Hires_steps (0: as steps)", 0, 0);
        dialog.addNumber("Hires_strength", HiresFix.DEFAULT_STRENGTH, 2);
        List<String> upscalers = new ArrayList<>(HiresFix.BUILT_IN);
        upscalers.addAll(models.with(Capability.CAPABILITY_UPSCALE));
        dialog.addChoice("Hires_upscaler", upscalers, upscalers.get(0));
    }

    /**
     * Regional prompts: how many the ROI Manager holds ({@link RoiRegions}: entries named {@code
     * prompt: TEXT @WEIGHT}), and whether to use them; macro key {@code regions}.
     */
    private static void addRegionFields(CommandDialog dialog) {
        int count = RoiRegions.named(RoiRegions.inRoiManager()).size();
        dialog.addNote(count + (count == 1 ? " region" : " regions") + " from the ROI Manager (entries named"
                + " \"prompt: TEXT\" or \"prompt: TEXT @WEIGHT\")");
        dialog.addCheckbox("Regions from the ROI Manager", false);
    }

    /** The hires fix the fields ask for; null at scale 0. */
    private static HiresFix readHires(CommandDialog dialog) {
        double scale = dialog.nextNumber();
        int steps = dialog.nextInt();
        double strength = dialog.nextNumber();
        String upscaler = dialog.nextChoice();
        return scale == 0 ? null : new HiresFix(scale, steps, strength, upscaler);
    }

    /**
     * The fields {@code addFields(dialog, models, txt2img)} added, read (without txt2img: img2img).
     * img2img keeps the active image's size, whatever the size fields say: its result is a layer on the image.
     */
    private static GenerateOptions read(CommandDialog dialog, ServerModels models, boolean txt2img) {
        Generation generation = GenerationFields.read(dialog, models);
        GenerateOptions options = txt2img
                ? new GenerateOptions(generation, dialog.nextInt(), dialog.nextInt(), null, dialog.nextBoolean(), null)
                : new GenerateOptions(generation, 0, 0, null, true, null);
        double strength = dialog.nextNumber();
        boolean regions = false;
        if (txt2img) {
            options = options.withHires(readHires(dialog));
            regions = dialog.nextBoolean();
        }
        options = options.withGrey(GreyFields.read(dialog));
        options = options.useActiveImage() ? options.withSize(0, 0).withStrength(strength) : options;
        return regions
                ? GenerateAction.withRegions(options, RoiRegions.inRoiManager(), WindowManager.getCurrentImage())
                : options;
    }
}
