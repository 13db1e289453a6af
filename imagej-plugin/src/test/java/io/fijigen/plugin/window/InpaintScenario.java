package io.fijigen.plugin.window;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.Menus;
import ij.gui.ImageCanvas;
import ij.gui.OvalRoi;
import ij.gui.Roi;
import ij.process.ColorProcessor;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.Robot;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
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
        "Upscale x4...", "Apply Layer", "Remove Layers", "Server Settings..."};

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
        Files.writeString(out.resolve("log.txt"), String.valueOf(IJ.getLog()));
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
