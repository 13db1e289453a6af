package io.fijigen.plugin.ij1;

import ij.ImagePlus;
import io.fijigen.plugin.Inserted;
import io.fijigen.plugin.UpscaleAction;
import io.fijigen.plugin.UpscaleOptions;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.client.EngineException;
import io.fijigen.proto.v1.Capability;
import java.util.List;

/** Plugins › fijigen › Upscale x4...: the active image, or its selection's bounds, four times larger. */
public final class UpscalePlugin extends EngineCommand {
    static final String COMMAND = "Upscale x4...";

    public UpscalePlugin() {
        super("Upscale");
    }

    @Override
    void run(EngineClient client) throws EngineException {
        ImagePlus imp = activeImage("Upscale x4");
        List<String> upscalers = new ServerModels(client.listModels()).with(Capability.CAPABILITY_UPSCALE);
        if (upscalers.isEmpty()) {
            throw new IllegalStateException("the server has no upscaler model");
        }
        CommandDialog dialog = new CommandDialog(COMMAND);
        dialog.addChoice("Model", upscalers, upscalers.get(0));
        dialog.addString("Prompt", "", 40);
        dialog.addString("Negative prompt", "", 40);
        dialog.addNumber("Steps (0: model's default)", 0, 0);
        dialog.addNumber("Guidance", 9.0, 1);
        dialog.addNumber("Seed (-1: random)", -1, 0);
        dialog.addNumber("Noise level", 20, 0);
        if (!dialog.show()) {
            return;
        }
        UpscaleOptions options = new UpscaleOptions(dialog.nextChoice(), dialog.nextString(), dialog.nextString(),
                dialog.nextInt(), dialog.nextNumber(), (long) dialog.nextNumber(), dialog.nextInt());
        UpscaleAction action = new UpscaleAction(client);
        Inserted inserted;
        try (JobProgress progress = new JobProgress("Upscale", options.prompt(), null, action::cancel, null)) {
            inserted = action.run(options, imp, progress);
            progress.finished(inserted);
        }
        present("Upscale", inserted);
    }
}
