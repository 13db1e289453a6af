package io.fijigen.plugin.ij1;

import ij.ImagePlus;
import io.fijigen.plugin.FolderRun;
import io.fijigen.plugin.UpscaleAction;
import io.fijigen.plugin.UpscaleOptions;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.client.EngineException;
import io.fijigen.proto.v1.Capability;
import java.util.List;
import java.util.Optional;

/** Plugins › fijigen › Upscale x4...: the active image, or its selection's bounds, four times larger. */
public final class UpscalePlugin extends EngineCommand implements FolderCommand {
    static final String COMMAND = "Upscale x4...";

    public UpscalePlugin() {
        super("Upscale");
    }

    @Override
    void run(EngineClient client) throws EngineException {
        ImagePlus imp = activeImage("Upscale x4");
        ServerModels models = new ServerModels(client.listModels());
        CommandDialog dialog = new CommandDialog(COMMAND);
        addFields(dialog, models);
        Optional<Planned<UpscaleOptions>> read = dialog.show(shown -> new Planned<>(read(shown), StackFields.read(shown)));
        if (read.isEmpty()) {
            return;
        }
        UpscaleOptions options = read.get().options();
        runOnPlanes(client, "Upscale", imp, read.get().planes(), new ImageJobs(options.prompt(), options.seed(),
                options.grey().channelAsGrey(), 1, () -> UpscaleAction.job(options, imp).recordedAs(macro(COMMAND, dialog)),
                seed -> UpscaleAction.job(options.withSeed(seed), imp).recordedAs(macro(COMMAND, dialog))),
                null, rerun(COMMAND, imp, dialog.macroOptions()));
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
        List<String> upscalers = models.with(Capability.CAPABILITY_UPSCALE);
        if (upscalers.isEmpty()) {
            throw new IllegalStateException("the server has no upscaler model");
        }
        GenerationFields.addPromptToSeed(dialog, models, upscalers, 9.0);
        dialog.addNumber("Noise level", 20, 0);
        GreyFields.add(dialog);
        StackFields.add(dialog);
    }

    private static FolderRun.Command readFields(CommandDialog dialog, ServerModels models) {
        UpscaleOptions options = read(dialog);
        return new FolderRun.Command(StackFields.read(dialog), options.seed(), options.grey().channelAsGrey(), 1,
                (client, imp, seed) -> UpscaleAction.job(options.withSeed(seed), imp));
    }

    private static UpscaleOptions read(CommandDialog dialog) {
        GenerationFields.PromptToSeed read = GenerationFields.PromptToSeed.read(dialog);
        return new UpscaleOptions(read.model(), read.prompt(), read.negativePrompt(), read.steps(), read.guidance(),
                read.seed(), dialog.nextInt(), GreyFields.read(dialog));
    }
}
