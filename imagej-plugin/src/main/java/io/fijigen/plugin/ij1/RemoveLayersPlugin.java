package io.fijigen.plugin.ij1;

import ij.IJ;
import ij.ImagePlus;
import ij.plugin.PlugIn;
import io.fijigen.plugin.layers.Layers;

/** Plugins › fijigen › Remove Layers: removes every fijigen layer from the image, undoably. */
public final class RemoveLayersPlugin implements PlugIn {
    @Override
    public void run(String arg) {
        try {
            ImagePlus imp = EngineCommand.activeImage("Remove Layers");
            int removed = Layers.remove(imp);
            imp.draw();
            IJ.showStatus("Remove Layers: " + removed + " layer" + (removed == 1 ? "" : "s") + " removed");
        } catch (IllegalArgumentException e) {
            EngineCommand.report("Remove Layers", e.getMessage());
        }
    }
}
