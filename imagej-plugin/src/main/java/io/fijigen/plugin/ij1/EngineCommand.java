package io.fijigen.plugin.ij1;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.Roi;
import ij.plugin.PlugIn;
import io.fijigen.plugin.Inserted;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.client.EngineException;
import io.fijigen.plugin.client.GenerationCancelledException;
import io.fijigen.plugin.client.Settings;

/**
 * A menu command that talks to the engine: it connects with the saved {@link Settings}, runs its
 * body on ImageJ's command thread (never the event thread: ImageJ runs menu commands and macros on
 * their own threads), and turns every failure into a readable ImageJ message (and a log line),
 * never a stack trace. A cancelled job only says so in the status bar.
 */
abstract class EngineCommand implements PlugIn {
    private final String name;

    EngineCommand(String name) {
        this.name = name;
    }

    /** The command's work, with a client connected to the configured server. */
    abstract void run(EngineClient client) throws EngineException;

    @Override
    public final void run(String arg) {
        try (EngineClient client = new EngineClient(Settings.load())) {
            run(client);
        } catch (GenerationCancelledException e) {
            IJ.showStatus(name + ": cancelled, nothing was inserted");
        } catch (EngineException | IllegalArgumentException | IllegalStateException e) {
            report(name, e.getMessage());
        }
    }

    /** An error for the user: a message box (the log in batch mode) and a log line. */
    static void report(String command, String message) {
        IJ.log("fijigen " + command + ": " + message);
        IJ.error("fijigen " + command, message);
    }

    /**
     * The Jobs window's Re-run of a job: {@code command} again, as a macro runs it, with the options
     * its dialog read, on {@code imp} (null: none) with the selection it had then.
     */
    static Runnable rerun(String command, ImagePlus imp, String options) {
        Roi selection = imp == null || imp.getRoi() == null ? null : (Roi) imp.getRoi().clone();
        return () -> {
            if (imp != null && imp.getWindow() == null) {
                report(command, imp.getTitle() + " is closed: there is nothing to run " + command + " on again");
                return;
            }
            if (selection != null) {
                imp.setRoi((Roi) selection.clone());
            }
            IJ.run(imp, command, options);
        };
    }

    /** The image the command works on. */
    static ImagePlus activeImage(String command) {
        ImagePlus imp = WindowManager.getCurrentImage();
        if (imp == null) {
            throw new IllegalArgumentException(command + " works on an open image: open one first");
        }
        return imp;
    }

    /** Shows a new result image, or refreshes the image that got a layer, and says what happened. */
    static void present(String command, Inserted inserted) {
        if (inserted.newImage() && java.awt.GraphicsEnvironment.isHeadless()) {
            // No window to open: the new image becomes the current one, for the macro to go on with.
            WindowManager.setTempCurrentImage(inserted.image());
        } else if (inserted.newImage()) {
            inserted.image().show();
        } else {
            inserted.image().updateAndDraw();
        }
        IJ.showStatus(command + ": done (seed " + inserted.seed() + ", "
                + String.format(java.util.Locale.ROOT, "%.1f", inserted.result().getElapsedSeconds()) + " s)");
    }
}
