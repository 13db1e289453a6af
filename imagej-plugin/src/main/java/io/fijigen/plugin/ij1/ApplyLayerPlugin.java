package io.fijigen.plugin.ij1;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.gui.ImageRoi;
import ij.plugin.PlugIn;
import io.fijigen.plugin.layers.Layers;

/**
 * Plugins › fijigen › Apply Layer: burns the selected fijigen layer (or the topmost) into the
 * image's pixels, undoably. A macro may name the layer: {@code run("Apply Layer", "layer=[name]")}.
 */
public final class ApplyLayerPlugin implements PlugIn {
    @Override
    public void run(String arg) {
        try {
            ImagePlus imp = EngineCommand.activeImage("Apply Layer");
            String options = Macro.getOptions();
            ImageRoi layer = Layers.selected(imp, options == null ? null : Macro.getValue(options, "layer", null));
            Layers.apply(imp, layer);
            IJ.showStatus("Apply Layer: " + layer.getName() + " applied (Edit › Undo reverts)");
        } catch (IllegalArgumentException e) {
            EngineCommand.report("Apply Layer", e.getMessage());
        }
    }
}
