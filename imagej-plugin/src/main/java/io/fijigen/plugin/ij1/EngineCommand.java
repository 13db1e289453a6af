package io.fijigen.plugin.ij1;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.Roi;
import ij.plugin.PlugIn;
import io.fijigen.plugin.Inserted;
import io.fijigen.plugin.PlaneJob;
import io.fijigen.plugin.PlanesRun;
import io.fijigen.plugin.SliceRange;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.client.EngineException;
import io.fijigen.plugin.client.GenerationCancelledException;
import io.fijigen.plugin.engine.EngineChoice;
import io.fijigen.plugin.layers.LivePreview;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A menu command that talks to the engine: it connects where {@link EngineChoice} says, runs its
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
        try (EngineClient client = new EngineClient(EngineChoice.connection())) {
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

    /** The macro options of what a command's {@code dialogs} read: one line fills them all. */
    static String macroOptions(CommandDialog... dialogs) {
        return String.join(" ", Arrays.stream(dialogs).map(CommandDialog::macroOptions).toList());
    }

    /** The macro line that runs {@code command} again with what its {@code dialogs} read. */
    static String macro(String command, CommandDialog... dialogs) {
        String options = macroOptions(dialogs);
        return "run(\"" + command + "\", \"" + options.strip().replace("\\", "\\\\")
                .replace("\"", "\\\"") + "\");";
    }

    /** The image the command works on. */
    static ImagePlus activeImage(String command) {
        ImagePlus imp = WindowManager.getCurrentImage();
        if (imp == null) {
            throw new IllegalArgumentException(command + " works on an open image: open one first");
        }
        return imp;
    }

    /**
     * What a dialog that sends the active image read: the command's options and which planes.
     *
     * @param <T> the command's options
     */
    record Planned<T>(T options, PlanesRun.Options planes) {}

    /**
     * The planes of {@code imp} that {@code planes} choose, when they are more than one: the command
     * then runs as a batch ({@link #runPlanes}), else on the current plane as before.
     *
     * @throws IllegalArgumentException for a range outside the image, or variants over planes
     */
    static Optional<SliceRange.Planes> severalPlanes(ImagePlus imp, PlanesRun.Options planes, boolean channelsApart,
            int images) {
        SliceRange.Planes chosen = planes.planes(imp, channelsApart, images);
        return chosen.size() > 1 ? Optional.of(chosen) : Optional.empty();
    }

    /**
     * What a command sends for an image: {@code current}, its job on the current plane (the options'
     * own seed, random or not), and {@code perPlane}, its job for each plane's seed in a batch; each
     * made only when it runs, since making one reads the plane.
     *
     * @param channelsApart a composite's current channel goes as a grey image, each channel its own plane
     * @param images the images per plane: several with several planes are refused
     */
    record ImageJobs(String prompt, Long seed, boolean channelsApart, int images, CurrentJob current,
            PlanesRun.Jobs perPlane) {}

    /** Makes the job on the current plane. */
    interface CurrentJob {
        PlaneJob make() throws EngineException;
    }

    /**
     * Runs {@code jobs} on the planes of {@code imp} that {@code process} chooses: one batch when they
     * are several ({@link #runPlanes}), else the current plane's job alone ({@link #runAndPresent}),
     * with the preview {@code preview} makes then (null: none).
     */
    static void runOnPlanes(EngineClient client, String command, ImagePlus imp, PlanesRun.Options process,
            ImageJobs jobs, Supplier<LivePreview> preview, Runnable rerun) throws EngineException {
        Optional<SliceRange.Planes> planes = severalPlanes(imp, process, jobs.channelsApart(), jobs.images());
        if (planes.isPresent()) {
            runPlanes(client, command, imp, planes.get(), process, jobs.seed(), jobs.prompt(), rerun, jobs.perPlane());
        } else {
            runAndPresent(client, command, jobs.prompt(), preview == null ? null : preview.get(), rerun,
                    jobs.current().make());
        }
    }

    /**
     * Runs {@code jobs} on {@code planes} of {@code imp} as one batch and presents what they made:
     * the layers on the image, or the new stack; a failed plane is a line in the Log, and an error
     * when it stopped the rest.
     */
    static void runPlanes(EngineClient client, String command, ImagePlus imp, SliceRange.Planes planes,
            PlanesRun.Options options, Long seed, String prompt, Runnable rerun, PlanesRun.Jobs jobs)
            throws EngineException {
        PlanesRun.Outcome outcome;
        try (JobProgress progress = new JobProgress(command, prompt, null, client::cancel, rerun)) {
            outcome = new PlanesRun(client).run(imp, planes, seed, options, jobs, progress);
            outcome.inserted().stream().filter(Objects::nonNull).findFirst().ifPresent(progress::finished);
        }
        if (outcome.image() != null) {
            show(outcome.image());
        } else {
            imp.updateAndDraw();
        }
        for (String failure : outcome.failures()) {
            IJ.log("fijigen " + command + ": " + failure);
        }
        String done = outcome.done() + " of " + planes.size() + " planes done";
        if (outcome.cancelled()) {
            IJ.showStatus(command + ": cancelled, " + done);
        } else if (!outcome.failures().isEmpty() && !options.goOn()) {
            report(command, outcome.failures().get(outcome.failures().size() - 1) + " (" + done + ")");
        } else {
            IJ.showStatus(command + ": " + done + (outcome.failures().isEmpty() ? ""
                    : ", " + outcome.failures().size() + " failed (see the Log)"));
        }
    }

    /**
     * Runs {@code job} alone, its progress in the status bar, the Jobs window and {@code preview}
     * (null: none), and presents what it made.
     */
    static void runAndPresent(EngineClient client, String command, String prompt, LivePreview preview,
            Runnable rerun, PlaneJob job) throws EngineException {
        Inserted inserted;
        try (JobProgress progress = new JobProgress(command, prompt, preview, client::cancel, rerun)) {
            inserted = job.run(client, progress);
            progress.finished(inserted);
        }
        present(command, inserted);
    }

    /** Shows a new result image, or refreshes the image that got a layer, and says what happened. */
    static void present(String command, Inserted inserted) {
        if (inserted.statistics() != null) {
            show(inserted.statistics());
        }
        if (inserted.newImage()) {
            show(inserted.image());
        } else {
            inserted.image().updateAndDraw();
        }
        IJ.showStatus(command + ": done (seed " + inserted.seed() + ", "
                + String.format(java.util.Locale.ROOT, "%.1f", inserted.result().getElapsedSeconds()) + " s)");
    }

    /** Shows a new image: the current one afterwards, for a macro to go on with. */
    private static void show(ImagePlus imp) {
        if (java.awt.GraphicsEnvironment.isHeadless()) {
            // No window to open: the new image becomes the current one.
            WindowManager.setTempCurrentImage(imp);
        } else {
            imp.show();
        }
    }
}
