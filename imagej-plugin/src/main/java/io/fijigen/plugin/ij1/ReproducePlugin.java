package io.fijigen.plugin.ij1;

import ij.IJ;
import ij.ImagePlus;
import io.fijigen.plugin.ReproduceAction;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.client.EngineException;
import java.util.Locale;

/**
 * Plugins › fijigen › Reproduce from Info: runs the job recorded with the active image's result (its
 * selected or topmost fijigen layer, else the image) again on the engine, and says in the Log how far
 * the new result is from the recorded one. Weights that changed since are reported, not re-run.
 */
public final class ReproducePlugin extends EngineCommand {
    public ReproducePlugin() {
        super("Reproduce from Info");
    }

    @Override
    void run(EngineClient client) throws EngineException {
        ImagePlus imp = activeImage("Reproduce from Info");
        ReproduceAction.Reproduction reproduction;
        ReproduceAction action = new ReproduceAction(client);
        try (JobProgress progress = new JobProgress("Reproduce from Info", imp.getTitle(), null, client::cancel,
                null)) {
            reproduction = action.run(imp, progress);
        }
        String line = reproduction.result() + ": max difference " + reproduction.maxDifference() + " over "
                + reproduction.values() + " 8-bit values"
                + (Double.isNaN(reproduction.maxFloatDifference()) ? ""
                        : String.format(Locale.ROOT, " (%.3g in the float output)", reproduction.maxFloatDifference()))
                + ", engine " + reproduction.engineVersion();
        IJ.log("fijigen Reproduce from Info: " + line);
        IJ.showStatus("Reproduce from Info: max difference " + reproduction.maxDifference());
    }
}
