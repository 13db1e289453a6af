package io.fijigen.plugin.ij1;

import ij.ImagePlus;
import io.fijigen.plugin.CanvasPreset;
import io.fijigen.plugin.ExpandAction;
import io.fijigen.plugin.ExpandOptions;
import io.fijigen.plugin.FolderRun;
import io.fijigen.plugin.Generation;
import io.fijigen.plugin.PlanesRun;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.client.EngineException;
import io.fijigen.plugin.ui.GreyOptions;
import io.fijigen.proto.v1.Capability;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Plugins › fijigen › Expand Canvas...: the active image grown by the engine (outpainting), its new
 * border painted, into a new image whose selection is that border.
 */
public final class ExpandCanvasPlugin extends EngineCommand implements FolderCommand {
    static final String COMMAND = "Expand Canvas...";
    private static final String PIXELS = "pixels (above)";

    public ExpandCanvasPlugin() {
        super("Expand Canvas");
    }

    @Override
    void run(EngineClient client) throws EngineException {
        ImagePlus imp = activeImage("Expand Canvas");
        ServerModels models = new ServerModels(client.listModels());
        CommandDialog dialog = new CommandDialog(COMMAND);
        addFields(dialog, models);
        Optional<Planned<ExpandOptions>> read = dialog.show(shown -> new Planned<>(read(shown, models).on(imp),
                StackFields.read(shown)));
        if (read.isEmpty()) {
            return;
        }
        ExpandOptions options = read.get().options();
        runOnPlanes(client, "Expand Canvas", imp, read.get().planes(), new ImageJobs(options.generation().prompt(),
                options.generation().seed(), options.grey().channelAsGrey(), options.generation().images(),
                () -> ExpandAction.job(options, imp).recordedAs(macro(COMMAND, dialog)),
                seed -> ExpandAction.job(options.withSeed(seed), imp).recordedAs(macro(COMMAND, dialog))),
                null, rerun(COMMAND, imp, dialog.macroOptions()));
    }

    private static void addFields(CommandDialog dialog, ServerModels models) {
        GenerationFields.add(dialog, models, models.with(Capability.CAPABILITY_INPAINT));
        dialog.addNumber("Left (pixels)", 0, 0);
        dialog.addNumber("Top (pixels)", 0, 0);
        dialog.addNumber("Right (pixels)", 0, 0);
        dialog.addNumber("Bottom (pixels)", 0, 0);
        List<String> presets = new ArrayList<>(List.of(PIXELS));
        CanvasPreset.PERCENTS.forEach(percent -> presets.add(percent + " %"));
        dialog.addChoice("Preset (share of the width or height, instead of pixels)", presets, PIXELS);
        dialog.addChoice("Sides (of the preset)", CanvasPreset.SIDES, CanvasPreset.SIDES.get(0));
        dialog.addChoice("Fill (the new pixels before painting)", ExpandOptions.FILLS, ExpandOptions.FILLS.get(0));
        dialog.addNumber("Overlap (pixels of the image repainted)", 8, 0);
        dialog.addNumber("Mask blur (pixels)", 4, 0);
        dialog.addNumber("Strength", 1.0, 2);
        GreyFields.add(dialog);
        StackFields.add(dialog);
    }

    @Override
    public String command() {
        return COMMAND;
    }

    @Override
    public Optional<FolderRun.Command> ask(String title, ServerModels models, List<CommandDialog> shown) {
        return FolderCommand.askInOne(title, shown, dialog -> addFields(dialog, models),
                dialog -> readFields(dialog, models));
    }

    private static FolderRun.Command readFields(CommandDialog dialog, ServerModels models) {
        Expansion expansion = read(dialog, models);
        if (expansion.preset() == null) {
            // Sides in pixels are the same on every image: checked now, before any image is sent.
            expansion.on(null);
        }
        PlanesRun.Options planes = StackFields.read(dialog);
        Generation generation = expansion.generation();
        return new FolderRun.Command(planes, generation.seed(), expansion.grey().channelAsGrey(), generation.images(),
                (client, imp, seed) -> ExpandAction.job(expansion.on(imp).withSeed(seed), imp));
    }

    /**
     * What the dialog read, before the sides are known in pixels: a preset sizes them on each image it
     * is applied to (a batch's images differ in size); else they are the pixels given.
     *
     * @param preset null: the sides are {@code pixels}
     */
    private record Expansion(Generation generation, int[] pixels, CanvasPreset preset, String fill, int overlap,
            int maskBlur, double strength, GreyOptions grey) {
        /** The options on {@code imp} (which only a preset reads). */
        ExpandOptions on(ImagePlus imp) {
            int[] sides = preset == null ? pixels : preset.pixels(imp.getWidth(), imp.getHeight());
            return new ExpandOptions(generation, sides[0], sides[1], sides[2], sides[3], fill, overlap, maskBlur,
                    strength, grey);
        }
    }

    /** The fields {@link #addFields} added, up to the stack fields, in their order. */
    private static Expansion read(CommandDialog dialog, ServerModels models) {
        Generation generation = GenerationFields.read(dialog, models);
        int[] sides = {dialog.nextInt(), dialog.nextInt(), dialog.nextInt(), dialog.nextInt()};
        String preset = dialog.nextChoice();
        String presetSides = dialog.nextChoice();
        CanvasPreset canvas = preset.equals(PIXELS) ? null
                : new CanvasPreset(Integer.parseInt(preset.replace(" %", "")), presetSides);
        String fill = dialog.nextChoice();
        int overlap = dialog.nextInt();
        int blur = dialog.nextInt();
        return new Expansion(generation, sides, canvas, fill, overlap, blur, dialog.nextNumber(),
                GreyFields.read(dialog));
    }
}
