package io.fijigen.plugin.ij1;

import ij.IJ;
import ij.ImagePlus;
import ij.io.SaveDialog;
import ij.plugin.PlugIn;
import io.fijigen.plugin.RecordedPng;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Plugins › fijigen › Save as PNG with Record...: the active result's current slice as a PNG that
 * keeps its parameters, request and provenance ({@link RecordedPng}). A macro names the file:
 * {@code run("Save as PNG with Record...", "save=/data/cell.png")}.
 */
public final class SavePngPlugin implements PlugIn {
    @Override
    public void run(String arg) {
        try {
            ImagePlus imp = EngineCommand.activeImage("Save as PNG with Record");
            SaveDialog dialog = new SaveDialog("Save as PNG with Record", imp.getTitle(), ".png");
            if (dialog.getFileName() == null) {
                return;
            }
            Path file = Path.of(dialog.getDirectory(), dialog.getFileName());
            RecordedPng.write(imp, file);
            IJ.showStatus("Save as PNG with Record: " + file.getFileName() + " saved");
        } catch (IOException e) {
            EngineCommand.report("Save as PNG with Record", "cannot write the PNG: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            EngineCommand.report("Save as PNG with Record", e.getMessage());
        }
    }
}
