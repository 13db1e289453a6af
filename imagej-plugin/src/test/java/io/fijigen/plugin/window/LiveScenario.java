package io.fijigen.plugin.window;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.gui.ImageRoi;
import ij.gui.NewImage;
import ij.gui.Overlay;
import ij.process.ImageProcessor;
import java.awt.Button;
import java.awt.Choice;
import java.awt.Frame;
import java.awt.Label;
import java.awt.Robot;
import java.awt.Window;
import java.nio.file.Path;
import java.util.Properties;
import javax.imageio.ImageIO;

/**
 * What {@link LiveWindowIT} runs in a separate JVM on an X display: Plugins › fijigen › Live... on
 * an RGB image in a real ImageJ (only {@code ij.jar} on its class path, the shaded plugin in its
 * plugins folder); five brush-like strokes within a second, as ImageJ's own filling draws them;
 * then Keep clicked, Edit › Undo, a new stroke, and the panel closed. Uses ImageJ's and AWT's API
 * only, never the plugin's classes.
 *
 * <p>Arguments: the engine's port, a folder for the screenshots and {@code scenario.properties}.
 */
public final class LiveScenario {
    private static final String LIVE_LAYER = "[fijigen] live";

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[1]);
        ScenarioRun.runAndExit("LiveScenario", out, facts -> run(facts, Integer.parseInt(args[0]), out));
    }

    private static void run(Properties facts, int port, Path out) throws Exception {
        new ImageJ();
        Dialogs.closeErrorMessages(facts);
        IJ.run("Server Settings...", "host=127.0.0.1 port=" + port + " token=[] timeout=300");
        ImagePlus imp = NewImage.createRGBImage("sketch", 64, 64, 1, NewImage.FILL_WHITE);
        imp.show();
        IJ.wait(500);
        IJ.run(imp, "Live...", "");
        Frame panel = (Frame) awaitWindow("fijigen Live: sketch");
        Label status = Dialogs.components(panel, Label.class).stream()
                .filter(label -> label.getText().startsWith("Live:")).findFirst().orElseThrow();
        facts.setProperty("live.model", Dialogs.components(panel, Choice.class).get(0).getSelectedItem());
        // The image as opened is sent at once: wait for its layer, so the strokes meet a warm model.
        Dialogs.await(() -> liveLayer(imp) != null, "the first live layer");
        ImageRoi first = liveLayer(imp);

        long start = System.nanoTime();
        for (int k = 0; k < 5; k++) {
            ImageProcessor ip = imp.getProcessor();
            ip.setColor(0x2040c0 + 8 * k);
            ip.fillRect(6 + 10 * k, 6 + 10 * k, 8, 8);
            imp.updateAndDraw();
            IJ.wait(180);
        }
        facts.setProperty("strokes.seconds", String.format("%.2f", (System.nanoTime() - start) / 1e9));
        // The last state is sent a pause after the last stroke; "sending…" until its layer shows.
        IJ.wait(1000);
        Dialogs.await(() -> liveLayer(imp) != first && status.getText().startsWith("Live: updated"),
                "the live layer of the last state");
        facts.setProperty("live.status", status.getText());
        facts.setProperty("live.layers", ImageFacts.layers(imp));
        IJ.saveAsTiff(new ImagePlus("state", imp.getProcessor().duplicate()), out.resolve("state.tif").toString());
        IJ.saveAsTiff(new ImagePlus("live", liveLayer(imp).getProcessor().duplicate()),
                out.resolve("live.tif").toString());
        Robot robot = new Robot();
        ImageIO.write(robot.createScreenCapture(imp.getWindow().getBounds()), "png", out.resolve("live.png").toFile());

        Clicks.click(robot, Dialogs.components(panel, Button.class).stream()
                .filter(button -> button.getLabel().equals("Keep")).findFirst().orElseThrow());
        Dialogs.await(() -> liveLayer(imp) == null, "Keep");
        facts.setProperty("kept.layers", ImageFacts.layers(imp));
        IJ.run(imp, "Undo", "");
        facts.setProperty("undone.layers", ImageFacts.layers(imp));

        panel.dispose();
        IJ.wait(500);
        facts.setProperty("closed.layers", ImageFacts.layers(imp));
        facts.setProperty("closed.panels", Integer.toString(countWindows("fijigen Live: sketch")));
    }

    private static ImageRoi liveLayer(ImagePlus imp) {
        Overlay overlay = imp.getOverlay();
        if (overlay == null) {
            return null;
        }
        return overlay.get(LIVE_LAYER) instanceof ImageRoi layer ? layer : null;
    }

    private static Window awaitWindow(String title) throws Exception {
        Window[] found = new Window[1];
        Dialogs.await(() -> {
            for (Window window : Window.getWindows()) {
                if (window instanceof Frame frame && frame.isShowing() && frame.getTitle().equals(title)) {
                    found[0] = window;
                    return true;
                }
            }
            return false;
        }, "the window " + title);
        return found[0];
    }

    private static int countWindows(String title) {
        int count = 0;
        for (Window window : Window.getWindows()) {
            if (window instanceof Frame frame && frame.isDisplayable() && frame.getTitle().equals(title)) {
                count++;
            }
        }
        return count;
    }
}
