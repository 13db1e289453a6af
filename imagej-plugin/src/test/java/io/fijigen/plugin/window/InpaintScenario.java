package io.fijigen.plugin.window;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.Menus;
import ij.WindowManager;
import ij.gui.ImageCanvas;
import ij.gui.ImageRoi;
import ij.gui.OvalRoi;
import ij.gui.Roi;
import ij.process.ColorProcessor;
import java.awt.Button;
import java.awt.Component;
import java.awt.Container;
import java.awt.EventQueue;
import java.awt.Frame;
import java.awt.Label;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.TextField;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;

/**
 * What {@link InpaintWindowIT} runs in a separate JVM on an X display: a real ImageJ with only
 * {@code ij.jar} on its class path, which finds the plugin as users install it (the shaded jar in
 * its plugins folder). Uses ImageJ's API only, never the plugin's classes.
 *
 * <p>Arguments: the engine's port, a folder for the screenshots and {@code scenario.properties}.
 */
public final class InpaintScenario {
    static final String[] COMMANDS = {"Generate...", "Inpaint Selection...", "ControlNet from Image...",
        "Upscale x4...", "Refine Upscale...", "Batch Folder...", "Live...", "Apply Layer", "Remove Layers",
        "Reproduce from Info", "Save as PNG with Record...", "Jobs", "Models...", "Server Settings...",
        "Expand Canvas..."};
    /** The Jobs window's title, which ImageJ's Window menu lists. */
    static final String JOBS = "fijigen Jobs";
    /** The steps of the job that is cancelled from the Jobs window: far more than it gets to run. */
    static final int LONG_JOB_STEPS = 500;

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path out = Path.of(args[1]);
        Properties facts = new Properties();
        try {
            run(port, out, facts);
        } catch (Throwable t) {
            facts.setProperty("failure", t.toString());
        }
        try (OutputStream stream = new FileOutputStream(out.resolve("scenario.properties").toFile())) {
            facts.store(stream, "InpaintScenario");
        }
        System.exit(0);
    }

    private static void run(int port, Path out, Properties facts) throws Exception {
        new ImageJ();
        for (String command : COMMANDS) {
            Object className = Menus.getCommands().get(command);
            facts.setProperty("menu." + command, String.valueOf(className));
            if (className != null) {
                facts.setProperty("jar." + command, String.valueOf(Class.forName((String) className, false,
                        IJ.getClassLoader()).getProtectionDomain().getCodeSource().getLocation()));
            }
        }

        ImagePlus imp = new ImagePlus("cells", gradient(256, 192));
        imp.show();
        IJ.wait(1500);
        ImageCanvas canvas = imp.getCanvas();
        Point origin = canvas.getLocationOnScreen();
        facts.setProperty("canvas", origin.x + "," + origin.y + "," + canvas.getWidth() + "," + canvas.getHeight());
        facts.setProperty("magnification", Double.toString(canvas.getMagnification()));
        Robot robot = new Robot();
        Rectangle screen = new Rectangle(origin.x, origin.y, canvas.getWidth(), canvas.getHeight());
        ImageIO.write(robot.createScreenCapture(screen), "png", out.resolve("before.png").toFile());

        IJ.run(imp, "Server Settings...", "host=127.0.0.1 port=" + port + " token=[] timeout=300");
        Roi selection = new OvalRoi(96, 64, 64, 48);
        imp.setRoi(selection);
        long start = System.nanoTime();
        IJ.run(imp, "Inpaint Selection...", "model=tiny-sd15-inpaint prompt=[a round cell] steps=4 seed=5 "
                + "mask=4 grow=0 padding=16 strength=1");
        facts.setProperty("coldRoundTripSeconds", Double.toString((System.nanoTime() - start) / 1e9));
        imp.deleteRoi();
        facts.setProperty("overlaySize", String.valueOf(imp.getOverlay() == null ? 0 : imp.getOverlay().size()));
        if (imp.getOverlay() != null && imp.getOverlay().size() > 0) {
            Roi layer = imp.getOverlay().get(imp.getOverlay().size() - 1);
            Rectangle bounds = layer.getBounds();
            facts.setProperty("layer.name", layer.getName());
            facts.setProperty("layer.bounds", bounds.x + "," + bounds.y + "," + bounds.width + "," + bounds.height);
        }
        imp.updateAndDraw();
        IJ.wait(1500);
        ImageIO.write(robot.createScreenCapture(screen), "png", out.resolve("after.png").toFile());
        Rectangle window = imp.getWindow().getBounds();
        ImageIO.write(robot.createScreenCapture(window), "png", out.resolve("window.png").toFile());
        // Once more, with the model loaded: the round trip a user waits for on later runs.
        imp.setRoi(selection);
        start = System.nanoTime();
        IJ.run(imp, "Inpaint Selection...", "model=tiny-sd15-inpaint prompt=[a round cell] steps=4 seed=6 "
                + "mask=4 grow=0 padding=16 strength=1");
        facts.setProperty("warmRoundTripSeconds", Double.toString((System.nanoTime() - start) / 1e9));

        Frame jobs = (Frame) WindowManager.getWindow(JOBS);
        facts.setProperty("jobs.window", String.valueOf(jobs != null));
        if (jobs != null) {
            jobsFacts(jobs, "jobs", facts);
            IJ.wait(1000); // for X to paint the labels
            ImageIO.write(robot.createScreenCapture(onEventThread(jobs::getBounds)), "png",
                    out.resolve("jobs.png").toFile());
            cancelFromTheJobsWindow(imp, selection, jobs, robot, out, facts);
            rerunFromTheJobsWindow(imp, jobs, robot, facts);
        }
        Files.writeString(out.resolve("log.txt"), String.valueOf(IJ.getLog()));
    }

    /**
     * A long job, with a preview every step, cancelled with a click on its Cancel button in the
     * Jobs window once it runs: it must end cancelled, with nothing inserted.
     */
    private static void cancelFromTheJobsWindow(ImagePlus imp, Roi selection, Frame jobs, Robot robot, Path out,
            Properties facts) throws Exception {
        int layersBefore = imp.getOverlay() == null ? 0 : imp.getOverlay().size();
        int imagesBefore = WindowManager.getImageCount();
        imp.setRoi(selection);
        Thread job = new Thread(() -> IJ.run(imp, "Inpaint Selection...", "model=tiny-sd15-inpaint "
                + "prompt=[a long job] steps=" + LONG_JOB_STEPS + " seed=7 preview=1 mask=4 grow=0 padding=16 "
                + "strength=1"), "long job");
        job.start();
        Button cancel = null;
        String status = "";
        for (long deadline = System.nanoTime() + 60_000_000_000L; System.nanoTime() < deadline; IJ.wait(100)) {
            Container running = onEventThread(() -> named(jobs, "running"));
            Container row = running == null ? null : onEventThread(() -> named(running, "job"));
            if (row != null) {
                status = onEventThread(() -> text(named(row, "status")));
                if (status.matches("step ([3-9]|\\d\\d+)/.*")) {
                    cancel = onEventThread(() -> button(row));
                    break;
                }
            }
        }
        facts.setProperty("cancel.statusBeforeClick", status);
        if (cancel == null) {
            facts.setProperty("cancel.button", "none");
            job.join(120_000);
            return;
        }
        IJ.wait(300);
        ImageIO.write(robot.createScreenCapture(onEventThread(jobs::getBounds)), "png",
                out.resolve("jobs-running.png").toFile());
        Button button = cancel;
        facts.setProperty("cancel.button", onEventThread(button::getLabel));
        Clicks.click(robot, button);
        job.join(60_000);
        facts.setProperty("cancel.jobEnded", String.valueOf(!job.isAlive()));
        imp.deleteRoi();
        facts.setProperty("cancel.layersBefore", String.valueOf(layersBefore));
        facts.setProperty("cancel.layersAfter", String.valueOf(imp.getOverlay() == null ? 0 : imp.getOverlay().size()));
        facts.setProperty("cancel.imagesBefore", String.valueOf(imagesBefore));
        facts.setProperty("cancel.imagesAfter", String.valueOf(WindowManager.getImageCount()));
        IJ.wait(1000);
        jobsFacts(jobs, "cancel.jobs", facts);
        ImageIO.write(robot.createScreenCapture(onEventThread(jobs::getBounds)), "png",
                out.resolve("jobs-cancelled.png").toFile());
    }

    /**
     * Re-run, clicked on the seed-6 job (the second in the history, after the cancelled one): the
     * same layer again, pixel for pixel, on the selection that job had.
     */
    private static void rerunFromTheJobsWindow(ImagePlus imp, Frame jobs, Robot robot, Properties facts)
            throws Exception {
        imp.deleteRoi();
        Roi[] before = imp.getOverlay().toArray();
        Container row = onEventThread(() -> rows(named(jobs, "history")).get(1));
        Button rerun = onEventThread(() -> button(row));
        facts.setProperty("rerun.button", onEventThread(rerun::getLabel));
        Clicks.click(robot, rerun);
        for (long deadline = System.nanoTime() + 60_000_000_000L; System.nanoTime() < deadline
                && imp.getOverlay().size() == before.length; IJ.wait(100)) {
            // Waits for the re-run's layer.
        }
        Roi[] after = imp.getOverlay().toArray();
        facts.setProperty("rerun.newLayers", String.valueOf(after.length - before.length));
        if (after.length > before.length) {
            ImageRoi again = (ImageRoi) after[after.length - 1];
            ImageRoi first = (ImageRoi) before[before.length - 1];
            facts.setProperty("rerun.layer", again.getName() + " at " + again.getBounds());
            facts.setProperty("rerun.firstLayer", first.getName() + " at " + first.getBounds());
            facts.setProperty("rerun.samePixels", String.valueOf(java.util.Arrays.equals(
                    (int[]) again.getProcessor().getPixels(), (int[]) first.getProcessor().getPixels())));
        }
    }

    /** What the Jobs window shows: how many jobs run and have ended, and each ended one's texts. */
    private static void jobsFacts(Frame jobs, String prefix, Properties facts) throws Exception {
        EventQueue.invokeAndWait(() -> {
            Container running = named(jobs, "running");
            Container history = named(jobs, "history");
            facts.setProperty(prefix + ".running", String.valueOf(rows(running).size()));
            List<Container> ended = rows(history);
            facts.setProperty(prefix + ".history", String.valueOf(ended.size()));
            for (int i = 0; i < ended.size(); i++) {
                facts.setProperty(prefix + ".history." + i, texts(ended.get(i)));
            }
        });
    }

    private static List<Container> rows(Container section) {
        List<Container> rows = new ArrayList<>();
        for (Component child : section.getComponents()) {
            if ("job".equals(child.getName())) {
                rows.add((Container) child);
            }
        }
        return rows;
    }

    /** The first component named {@code name} in {@code root}, depth first; null if none. */
    @SuppressWarnings("unchecked")
    private static <T extends Component> T named(Container root, String name) {
        for (Component child : root.getComponents()) {
            if (name.equals(child.getName())) {
                return (T) child;
            }
            if (child instanceof Container container) {
                T found = named(container, name);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** The texts of a row's labels and fields, in order, separated by " | ". */
    private static String texts(Container row) {
        List<String> texts = new ArrayList<>();
        for (Component child : row.getComponents()) {
            if (child instanceof Container container && !(child instanceof TextField)) {
                String inner = texts(container);
                if (!inner.isEmpty()) {
                    texts.add(inner);
                }
            } else if (text(child) != null && child.isVisible()) {
                texts.add(text(child));
            }
        }
        return String.join(" | ", texts);
    }

    private static String text(Component component) {
        return component instanceof Label label ? label.getText()
                : component instanceof TextField field ? field.getText()
                : component instanceof Button button && button.isShowing() ? "[" + button.getLabel() + "]" : null;
    }

    private static Button button(Container root) {
        for (Component child : root.getComponents()) {
            if (child instanceof Button button) {
                return button;
            }
            if (child instanceof Container container && button(container) != null) {
                return button(container);
            }
        }
        return null;
    }

    private static <T> T onEventThread(Callable<T> read) throws Exception {
        AtomicReference<T> value = new AtomicReference<>();
        EventQueue.invokeAndWait(() -> {
            try {
                value.set(read.call());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return value.get();
    }

    static ColorProcessor gradient(int width, int height) {
        ColorProcessor ip = new ColorProcessor(width, height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                ip.set(x, y, (x & 0xff) << 16 | (y & 0xff) << 8 | 0x60);
            }
        }
        return ip;
    }
}
