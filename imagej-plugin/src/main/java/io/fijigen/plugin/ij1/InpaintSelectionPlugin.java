package io.fijigen.plugin.ij1;

import ij.ImagePlus;
import io.fijigen.plugin.FolderRun;
import io.fijigen.plugin.Generation;
import io.fijigen.plugin.InpaintAction;
import io.fijigen.plugin.InpaintOptions;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.client.EngineException;
import io.fijigen.plugin.layers.LivePreview;
import io.fijigen.proto.v1.Capability;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Plugins › fijigen › Inpaint Selection...: repaints the active image's selection (any area ROI);
 * the result becomes a layer over it.
 */
public final class InpaintSelectionPlugin extends EngineCommand implements FolderCommand {
    static final String COMMAND = "Inpaint Selection...";

    public InpaintSelectionPlugin() {
        super("Inpaint Selection");
    }

    @Override
    void run(EngineClient client) throws EngineException {
        ImagePlus imp = activeImage("Inpaint Selection");
        if (imp.getRoi() == null || !imp.getRoi().isArea()) {
            throw new IllegalArgumentException("Inpaint Selection repaints the selection: make an area selection "
                    + "on " + imp.getTitle() + " first");
        }
        ServerModels models = new ServerModels(client.listModels());
        CommandDialog dialog = new CommandDialog(COMMAND);
        addFields(dialog, models);
        Optional<Planned<InpaintOptions>> read = dialog.show(shown -> new Planned<>(read(shown, models),
                StackFields.read(shown)));
        if (read.isEmpty()) {
            return;
        }
        InpaintOptions options = read.get().options();
        Supplier<LivePreview> preview = () -> options.generation().previewEvery() > 0
                ? new LivePreview(imp, new InpaintAction(client).previewRegion(options, imp), imp.getRoi())
                : null;
        runOnPlanes(client, "Inpaint Selection", imp, read.get().planes(), new ImageJobs(
                options.generation().prompt(), options.generation().seed(), options.grey().channelAsGrey(),
                options.generation().images(), () -> InpaintAction.job(options, imp).recordedAs(macro(COMMAND, dialog)),
                seed -> InpaintAction.job(options.withSeed(seed), imp).recordedAs(macro(COMMAND, dialog))),
                preview, rerun(COMMAND, imp, dialog.macroOptions()));
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

    private static void addFields(CommandDialog dialog, ServerModels models) {
        GenerationFields.add(dialog, models, models.with(Capability.CAPABILITY_INPAINT));
        dialog.addNumber("Strength", 1.0, 2);
        dialog.addNumber("Mask blur (pixels)", 4, 0);
        dialog.addNumber("Grow (pixels)", 0, 0);
        dialog.addNumber("Padding (pixels of context)", 32, 0);
        dialog.addCheckbox("Only masked (generate the surroundings at the size below)", false);
        dialog.addNumber("Width (only masked, 0: the model's; the crop's shape is kept)", 0, 0);
        dialog.addNumber("Height (only masked, 0: the model's)", 0, 0);
        GreyFields.add(dialog);
        StackFields.add(dialog);
    }

    /** Each file's own selection is repainted: the one an ImageJ TIFF keeps; a file without one fails. */
    private static FolderRun.Command readFields(CommandDialog dialog, ServerModels models) {
        InpaintOptions options = read(dialog, models);
        return new FolderRun.Command(StackFields.read(dialog), options.generation().seed(),
                options.grey().channelAsGrey(), options.generation().images(),
                (client, imp, seed) -> InpaintAction.job(options.withSeed(seed), imp));
    }

    private static InpaintOptions read(CommandDialog dialog, ServerModels models) {
        Generation generation = GenerationFields.read(dialog, models);
        double strength = dialog.nextNumber();
        int blur = dialog.nextInt();
        int grow = dialog.nextInt();
        int padding = dialog.nextInt();
        boolean onlyMasked = dialog.nextBoolean();
        return new InpaintOptions(generation, blur, grow, onlyMasked, padding, strength, dialog.nextInt(),
                dialog.nextInt(), GreyFields.read(dialog));
    }
}
