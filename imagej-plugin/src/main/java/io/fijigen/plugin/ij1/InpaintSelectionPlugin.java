package io.fijigen.plugin.ij1;

import ij.ImagePlus;
import io.fijigen.plugin.InpaintAction;
import io.fijigen.plugin.InpaintOptions;
import io.fijigen.plugin.Inserted;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.client.EngineException;
import io.fijigen.plugin.layers.LivePreview;
import io.fijigen.proto.v1.Capability;

/**
 * Plugins › fijigen › Inpaint Selection...: repaints the active image's selection (any area ROI);
 * the result becomes a layer over it.
 */
public final class InpaintSelectionPlugin extends EngineCommand {
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
        GenerationFields.add(dialog, models.with(Capability.CAPABILITY_INPAINT), models.schedulers());
        dialog.addNumber("Mask blur (pixels)", 4, 0);
        dialog.addNumber("Grow (pixels)", 0, 0);
        dialog.addCheckbox("Only masked (generate the surroundings at the size below)", false);
        dialog.addNumber("Padding (pixels)", 32, 0);
        dialog.addNumber("Width (only masked, 0: model's)", 0, 0);
        dialog.addNumber("Height (only masked, 0: model's)", 0, 0);
        dialog.addNumber("Strength", 1.0, 2);
        if (!dialog.show()) {
            return;
        }
        InpaintOptions options = new InpaintOptions(GenerationFields.read(dialog), dialog.nextInt(),
                dialog.nextInt(), dialog.nextBoolean(), dialog.nextInt(), null, dialog.nextInt(), dialog.nextInt());
        options = options.withStrength(dialog.nextNumber());
        InpaintAction action = new InpaintAction(client);
        LivePreview preview = options.generation().previewEvery() > 0
                ? new LivePreview(imp, action.previewRegion(options, imp))
                : null;
        Inserted inserted;
        try (JobProgress progress = new JobProgress("Inpaint Selection", options.generation().prompt(),
                preview, action::cancel, null)) {
            inserted = action.run(options, imp, progress);
            progress.finished(inserted);
        }
        present("Inpaint Selection", inserted);
    }
}
