package io.fijigen.plugin.ij1;

import ij.IJ;
import ij.plugin.PlugIn;
import java.awt.GraphicsEnvironment;

/** Plugins › fijigen › Jobs: shows the {@link JobsWindow}, or brings it to the front. */
public final class JobsPlugin implements PlugIn {
    @Override
    public void run(String arg) {
        if (GraphicsEnvironment.isHeadless()) {
            IJ.log("fijigen Jobs: the Jobs window needs a display; this ImageJ runs headless");
            return;
        }
        JobsWindow.open();
    }
}
