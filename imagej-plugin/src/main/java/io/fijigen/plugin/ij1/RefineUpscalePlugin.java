package io.fijigen.plugin.ij1;

import ij.ImagePlus;
import io.fijigen.plugin.FolderRun;
import io.fijigen.plugin.RefineUpscaleAction;
import io.fijigen.plugin.RefineUpscaleOptions;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.client.EngineException;
import io.fijigen.proto.v1.Capability;
import io.fijigen.proto.v1.ModelKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Plugins › fijigen › Refine Upscale...: the active image, or its selection's bounds, enlarged by a factor
 * and repainted tile by tile by a Stable Diffusion model, optionally held to each tile by a tile
 * ControlNet; PSNR and SSIM against the input in the Log and the Info.
 */
public final class RefineUpscalePlugin extends EngineCommand implements FolderCommand {
    static final String COMMAND = "Refine Upscale...";

    public RefineUpscalePlugin() {
        super("Refine Upscale");
    }

    @Override
    void run(EngineClient client) throws EngineException {
        ImagePlus imp = activeImage("Refine Upscale");
        ServerModels models = new ServerModels(client.listModels());
        CommandDialog dialog = new CommandDialog(COMMAND);
        addFields(dialog, models);
        Optional<Planned<RefineUpscaleOptions>> read = dialog.show(shown -> new Planned<>(read(shown),
                StackFields.read(shown)));
        if (read.isEmpty()) {
            return;
        }
        RefineUpscaleOptions options = read.get().options();
        runOnPlanes(client, "Refine Upscale", imp, read.get().planes(), new ImageJobs(options.prompt(), options.seed(),
                options.grey().channelAsGrey(), 1,
                () -> RefineUpscaleAction.job(options, imp).recordedAs(macro(COMMAND, dialog)),
                seed -> RefineUpscaleAction.job(options.withSeed(seed), imp).recordedAs(macro(COMMAND, dialog))),
                null, rerun(COMMAND, imp, dialog.macroOptions()));
    }

    @Override
    public String command() {
        return COMMAND;
    }

    @Override
    public Optional<FolderRun.Command> ask(String title, ServerModels models, List<CommandDialog> shown) {
        return FolderCommand.askInOne(title, shown, dialog -> addFields(dialog, models),
                RefineUpscalePlugin::readFields);
    }

    private static FolderRun.Command readFields(CommandDialog dialog) {
        RefineUpscaleOptions options = read(dialog);
        return new FolderRun.Command(StackFields.read(dialog), options.seed(), options.grey().channelAsGrey(), 1,
                (client, imp, seed) -> RefineUpscaleAction.job(options.withSeed(seed), imp));
    }

    private static void addFields(CommandDialog dialog, ServerModels models) {
        GenerationFields.addPromptToSeed(dialog, models, models.with(Capability.CAPABILITY_IMG2IMG), 7.5);
        List<String> controlNets = new ArrayList<>(List.of(RefineUpscaleOptions.NO_CONTROLNET));
        controlNets.addAll(models.of(ModelKind.MODEL_KIND_CONTROLNET));
        dialog.addChoice("ControlNet", controlNets, RefineUpscaleOptions.NO_CONTROLNET);
        dialog.addNumber("Factor", 2, 2);
        dialog.addNumber("Strength", 0.35, 2);
        dialog.addNumber("Tile (0: the model's size)", 0, 0);
        dialog.addNumber("Overlap (-1: a quarter of the tile)", -1, 0);
        GreyFields.add(dialog);
        StackFields.add(dialog);
    }

    /** The fields {@link #addFields} added, in their order, up to the Process fields. */
    private static RefineUpscaleOptions read(CommandDialog dialog) {
        GenerationFields.PromptToSeed read = GenerationFields.PromptToSeed.read(dialog);
        String controlNet = dialog.nextChoice();
        double factor = dialog.nextNumber();
        double strength = dialog.nextNumber();
        int tile = dialog.nextInt();
        int overlap = dialog.nextInt();
        return new RefineUpscaleOptions(read.model(), controlNet, factor, strength, tile, overlap < 0 ? null : overlap,
                read.prompt(), read.negativePrompt(), read.steps(), read.guidance(), read.seed(),
                GreyFields.read(dialog));
    }
}
