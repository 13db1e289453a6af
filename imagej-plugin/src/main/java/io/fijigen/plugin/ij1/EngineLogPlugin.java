package io.fijigen.plugin.ij1;

import ij.IJ;
import ij.plugin.PlugIn;
import ij.text.TextWindow;
import io.fijigen.plugin.client.Settings;
import io.fijigen.plugin.engine.EngineChoice;
import io.fijigen.plugin.engine.EngineSettings;
import io.fijigen.plugin.engine.ManagedEngine;
import java.awt.GraphicsEnvironment;
import java.util.List;

/**
 * Plugins › fijigen › Engine Log, and Server Settings' Engine Log button: what the engine the plugin started on this
 * computer wrote (its latest lines), in a text window. Where there is nothing to show, it says why instead: the plugin
 * uses a remote server, whose output stays on its own computer, or the engine here has not started yet.
 */
public final class EngineLogPlugin implements PlugIn {
    static final String TITLE = "fijigen Engine Log";

    @Override
    public void run(String arg) {
        show();
    }

    /** The window with the managed engine's lines, or a message saying why there are none. */
    static void show() {
        List<String> lines = EngineChoice.managed().map(ManagedEngine::output).orElse(List.of());
        if (lines.isEmpty()) {
            IJ.showMessage(TITLE, whyNoLines());
        } else if (GraphicsEnvironment.isHeadless()) {
            // No window can open: a headless macro gets the lines in the Log (standard output).
            lines.forEach(IJ::log);
        } else {
            new TextWindow(TITLE, String.join("\n", lines), 800, 500);
        }
    }

    private static String whyNoLines() {
        if (!EngineSettings.load().managed()) {
            return "The plugin uses the remote server " + Settings.load() + " (Engine: remote in Plugins › fijigen ›"
                    + " Server Settings...): its output is on the computer it runs on. Engine Log shows what the engine"
                    + " the plugin starts on this computer writes (Engine: managed).";
        }
        return "The engine on this computer (Engine: managed in Plugins › fijigen › Server Settings...) has not"
                + " started yet: the first command that needs it starts it, and Engine Log then shows what it writes.";
    }
}
